"""Query a published site through Datasette's in-process client: the tests' one way in."""

import asyncio
from urllib.parse import urlencode

from publish.__main__ import datasette_app


class Site:
    def __init__(self, data_dir):
        self.app = datasette_app(data_dir)

    def get(self, path: str):
        async def fetch():
            return await self.app.client.get(path)
        return asyncio.run(fetch())

    def rows(self, sql: str, **params) -> list[dict]:
        response = self.get("/foi.json?" + urlencode({"sql": sql, **params, "_shape": "objects"}))
        assert response.status_code == 200, response.text
        return response.json()["rows"]
