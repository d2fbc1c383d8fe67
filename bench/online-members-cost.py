#!/usr/bin/env python3
"""What listing a room's online members costs when the room has kept every member who ever joined.

Usage: bench/online-members-cost.py PORT [MEMBERS] [ONLINE]
Against the Redis on PORT (e.g. `taskset -c 0 redis-server --port 6395 --save ''`), fills a room
with MEMBERS (default 100,000) member ids, of whom 10 are online among ONLINE (default 1,000)
online users, then times 50 listings each way, round trip included: the commands Parley used
before (SMEMBERS of the room, then ZMSCORE of every member in the online set) and PresenceManager's
script, read from the source, which walks the smaller of the two sets.
"""
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
store_script_cost = __import__('store-script-cost')

ROOM, ONLINE_KEY = 'parley:room:big:members', 'parley:online'


def online_members_script():
    source = (Path(__file__).parent.parent / 'src/main/java/dev/parley/presence/PresenceManager.java').read_text()
    script = re.search(r'ONLINE_MEMBERS = RedisScript.of\("""\n(.*?)"""', source, re.S).group(1)
    return re.sub(r'^\t\t\t', '', script, flags=re.M)


def timed(label, call, runs=50):
    start = time.perf_counter()
    for _ in range(runs):
        result = call()
    print('%s: %.2f ms per listing, %d online members' % (label, (time.perf_counter() - start) * 1000 / runs,
                                                         result))


def main():
    port = int(sys.argv[1])
    members = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    online = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000
    redis = store_script_cost.Redis(port)
    redis.call('DEL', ROOM, ONLINE_KEY)
    for start in range(0, members, 1000):
        redis.call('SADD', ROOM, *['u%d' % i for i in range(start, min(start + 1000, members))])
    until = int(time.time() * 1000) + 3_600_000
    for i in range(online):
        user = 'u%d' % i if i < 10 else 'other%d' % i
        redis.call('ZADD', ONLINE_KEY, until, user)
    now = str(int(time.time() * 1000))

    def before():
        ids = redis.call('SMEMBERS', ROOM)
        scores = redis.call('ZMSCORE', ONLINE_KEY, *ids)
        return sum(1 for score in scores if score is not None and float(score) > int(now))

    sha = redis.call('SCRIPT', 'LOAD', online_members_script()).decode()
    timed('SMEMBERS + ZMSCORE (before)', before)
    timed('PresenceManager script (after)', lambda: len(redis.call('EVALSHA', sha, 2, ROOM, ONLINE_KEY, now)))


if __name__ == '__main__':
    main()
