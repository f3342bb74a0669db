import asyncio

from services.scheduler.server import main

asyncio.run(main())
