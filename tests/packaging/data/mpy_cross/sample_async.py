"""Async code, which CircuitPython compiles differently from MicroPython's mpy-cross."""


async def wait(stream):
    async with stream as s:
        async for line in s:
            await line


class Server:
    async def run(self, handler):
        return await handler(self)
