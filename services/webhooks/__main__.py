import asyncio

from services.webhooks.server import main

asyncio.run(main())
