/**
 * A mixed script of `docker …` commands, the kind a lesson runs: containers created,
 * written to, inspected, committed and removed. `count` commands in total.
 */
export function mixedScript(count: number): string[] {
  const round = (i: number) => [
    'docker run --rm busybox echo hi',
    `docker run -d --name bg${i} busybox sleep 1000`,
    `docker exec bg${i} ls /`,
    `docker run --name w${i} busybox sh -c 'mkdir -p /data && echo ${i} > /data/n && rm /etc/group'`,
    `docker diff w${i}`,
    `docker commit w${i} img${i}`,
    `docker history img${i}`,
    'docker ps -a',
    'docker images',
    `docker inspect -f '{{.State.Status}}' bg${i}`,
    `docker pause bg${i}`,
    `docker unpause bg${i}`,
    `docker logs w${i}`,
    `docker rm -f bg${i}`,
    `docker rm w${i}`,
    `docker rmi img${i}`,
  ];
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) out.push(...round(i));
  return out.slice(0, count);
}
