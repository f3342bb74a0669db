import asyncio

from services.browser.server import main

asyncio.run(main())
