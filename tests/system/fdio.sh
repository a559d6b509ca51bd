# SPDX-License-Identifier: GPL-2.0
# Descriptor calls as Debian's programs use them (docs/linux-abi.md):
# poll/select over pipes, non-blocking ends, signals ending or restarting
# a blocked call. Each program prints one line per check and "all ok";
# the wake-up paths run again on 4 CPUs, where waker and sleeper race.
# Programs that fork a lot get a small heap: a fork copies it all.
linux=$BUILD/linux

for cpus in 1 4; do
	kitten_run "fdio-pollio-$cpus" 0 \
		'^pollio: non-blocking write fills 16384 bytes then EAGAIN ok$' \
		'^pollio: poll names the one pipe of 4 written ok$' \
		'^pollio: select names the one pipe of 4 written ok$' \
		'^pollio: ppoll unblocks SIGUSR1: EINTR, handler ran ok$' \
		'^pollio: read interrupted: EINTR ok$' \
		'^pollio: SA_RESTART read restarted: data after 3 handlers ok$' \
		'^pollio: all ok$' \
		-- --cpus $cpus --mem 16M "$linux/pollio-glibc"
done

# eventfd and epoll: counters, level/edge/one-shot items, pipes fed by
# children, and 2000 wake-ups handed between two threads.
for cpus in 1 4; do
	kitten_run "fdio-epoll-$cpus" 0 \
		'^epoll: EFD_SEMAPHORE reads 1, 1, then EAGAIN ok$' \
		'^epoll: edge-triggered: reported once ok$' \
		'^epoll: EPOLLONESHOT: re-armed by EPOLL_CTL_MOD ok$' \
		'^epoll: epoll names the one pipe of 4 written, 12 times ok$' \
		'^epoll: ping-pong 1000 \+ 1000 wake-ups$' \
		'^epoll: all ok$' \
		-- --cpus $cpus --mem 32M "$linux/epoll-glibc"
done

# AF_UNIX sockets between processes: socketpair ping-pong and a 1 MiB
# stream, datagram and packet boundaries, path and abstract names,
# SCM_RIGHTS passing a pipe end to another process, credentials.
for cpus in 1 4; do
	kitten_run "fdio-unixsock-$cpus" 0 \
		'^unixsock: fork \+ socketpair ping-pong, 1000 round trips ok$' \
		'^unixsock: 1 MiB stream intact, then end of file ok$' \
		'^unixsock: SOCK_SEQPACKET: 7, 9, then end of file ok$' \
		'^unixsock: accept4 \(SOCK_CLOEXEC\), read the client.s hello ok$' \
		'^unixsock: recvfrom: datagram and the sender.s abstract name ok$' \
		'^unixsock: the other process read the pipe through the passed descriptor ok$' \
		'^unixsock: SO_PASSCRED: SCM_CREDENTIALS names the sending process ok$' \
		'^unixsock: all ok$' \
		-- --cpus $cpus --mem 16M "$linux/unixsock-glibc"
done

# timerfd and signalfd: expiration counts and order (never durations),
# armed timers closed from another CPU, blocked signals read with their
# senders through read, poll and epoll.
for cpus in 1 4; do
	kitten_run "fdio-timersig-$cpus" 0 \
		'^timersig: one-shot timer: read blocks, then 1 expiration ok$' \
		'^timersig: periodic timer: 5 reads, each at least 1 expiration ok$' \
		'^timersig: earlier timer expired when the later one did ok$' \
		'^timersig: disarmed far timer never fires ok$' \
		'^timersig: 200 armed timerfds closed by another thread$' \
		'^timersig: poll wakes for a signal from another process; its pid and SI_USER ok$' \
		'^timersig: epoll wakes for a signal from another process ok$' \
		'^timersig: SIGCHLD of an exiting child read from a signalfd, with its pid ok$' \
		'^timersig: all ok$' \
		-- --cpus $cpus --mem 32M "$linux/timersig-glibc"
done

# File locks between processes: fcntl record locks (conflicts, F_GETLK,
# splitting, F_SETLKW, release on close and exit) and flock().
for cpus in 1 4; do
	kitten_run "fdio-locks-$cpus" 0 \
		'^locks: F_GETLK names the holder, its pid and range ok$' \
		'^locks: unlock of 40-59 splits the lock in two ok$' \
		'^locks: F_SETLKW granted after our unlock ok$' \
		'^locks: closing another descriptor of the file released it ok$' \
		'^locks: a child.s lock went with its exit ok$' \
		'^locks: LOCK_SH shares with LOCK_SH, not with LOCK_EX ok$' \
		'^locks: all ok$' \
		-- --cpus $cpus --mem 16M "$linux/locks-glibc"
done
