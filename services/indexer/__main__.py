import asyncio

from services.indexer.server import main

asyncio.run(main())
