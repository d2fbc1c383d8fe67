#!/usr/bin/env python3
"""Redis's own time per private message in Parley's store script, without the app.

Usage: bench/store-script-cost.py PORT [BATCHES] [SCRIPT.lua]
Runs BATCHES (default 400) calls of 128 private messages each against the Redis on PORT (start one
pinned to a core, e.g. `taskset -c 0 redis-server --port 6390 --save ''`, and for PUBLISH to cost
what it does in Parley, a subscriber to the users' channels:
`redis-cli -p 6390 subscribe $(seq -f 'parley:user:u%05g' 0 9999) > /dev/null &`).
The script is StoreBatcher's, read from the source, unless SCRIPT.lua names a variant to compare.
Prints Redis's script time per message (INFO commandstats, reset before the calls).
"""
import random
import re
import socket
import sys
import time
from pathlib import Path

BATCH = 128
PAIRS = 5000


def store_script():
    source = (Path(__file__).parent.parent / 'src/main/java/dev/parley/chat/StoreBatcher.java').read_text()
    script = re.search(r'RedisScript.of\("""\n(.*?)"""', source, re.S).group(1)
    return re.sub(r'^\t\t\t', '', script, flags=re.M).replace('DELIVER_TO_ALL', "'F\\n'")


class Redis:
    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port))
        self.file = self.sock.makefile('rb')

    @staticmethod
    def encode(args):
        out = [b'*%d\r\n' % len(args)]
        for arg in args:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            out += [b'$%d\r\n' % len(data), data, b'\r\n']
        return b''.join(out)

    def read(self):
        line = self.file.readline()
        kind = line[:1]
        if kind in (b'+', b'-', b':'):
            return line.strip()
        if kind == b'$':
            size = int(line[1:])
            return None if size < 0 else self.file.read(size + 2)[:-2]
        if kind == b'*':
            return [self.read() for _ in range(max(int(line[1:]), 0))]
        raise ValueError(line)

    def call(self, *args):
        self.sock.sendall(self.encode(args))
        return self.read()


def private_batch(now):
    keys, args = [], []
    user = '{"id":"u%05d","name":"Guest %05d","guest":true}'
    for _ in range(BATCH):
        i = random.randrange(PAIRS)
        sender, recipient = 'u%05d' % i, 'u%05d' % (i + PAIRS)
        keys += ['parley:conversation:%s:%s' % (sender, recipient), 'parley:user:%s:conns' % recipient,
                 'parley:user:%s:offline' % recipient, 'parley:muted',
                 'parley:user:%s:conversations' % sender, 'parley:user:%s:conversations' % recipient,
                 'parley:user:%s:conns' % sender]
        tail = ('","from":' + user % (i, i) + ',"to":' + user % (i + PAIRS, i + PAIRS)
                + ',"text":"a private message of a typical length for a chat, a few words"')
        args += ['p', '1000', '{"type":"private","id":"', tail, str(now), 'parley:user:' + recipient,
                 'parley:user:' + sender, '100', '604800000', 'F\n', 'O%s\n' % ('c' * 36), sender, recipient]
    return keys, args


def main():
    port = int(sys.argv[1])
    batches = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    script = Path(sys.argv[3]).read_text() if len(sys.argv) > 3 else store_script()
    redis = Redis(port)
    sha = redis.call('SCRIPT', 'LOAD', script).decode()
    now = int(time.time() * 1000)
    for i in range(PAIRS * 2):
        redis.call('ZADD', 'parley:user:u%05d:conns' % i, now + 3_600_000, 'connection-%d' % i)
    redis.call('CONFIG', 'RESETSTAT')
    for _ in range(batches):
        keys, args = private_batch(now)
        redis.call('EVALSHA', sha, len(keys), *keys, *args)
    stats = redis.call('INFO', 'commandstats').decode()
    per_call = float(re.search(r'cmdstat_evalsha:.*?usec_per_call=([0-9.]+)', stats).group(1))
    print('script time per private message: %.1f us (%d calls of %d)' % (per_call / BATCH, batches, BATCH))


if __name__ == '__main__':
    main()
