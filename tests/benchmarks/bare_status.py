"""The floor for `status`: a bare httpx script that fetches and parses the same pages."""

import asyncio
import json
import sys

import httpx


async def main(urls: list[str]) -> None:
    # The same bounded concurrency as outage-radar's fetcher, so both ask the server alike.
    gate = asyncio.Semaphore(32)
    async with httpx.AsyncClient(timeout=15) as client:

        async def one(url: str) -> dict[str, object]:
            async with gate:
                body = (await client.get(url)).content
            doc = json.loads(body)
            comps = [(c["name"], c["status"]) for c in doc["components"]]
            return {"url": url, "indicator": doc["status"]["indicator"], "components": comps}

        results = await asyncio.gather(*(one(u) for u in urls))
    print(json.dumps(results))


asyncio.run(main(sys.argv[1:] if len(sys.argv) > 2 else open(sys.argv[1]).read().split()))
