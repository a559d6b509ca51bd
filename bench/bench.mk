# SPDX-License-Identifier: GPL-2.0
#
# The benchmark programs (bench/README.md): static glibc binaries, built as
# users build them, that run unchanged on Linux, on Kitten and in guests.
# Included from the top-level Makefile; also works on its own:
#
#   make -f bench/bench.mk            build $(BUILD)/bench/{cg-serial,...}
#
# No -march: the same instructions must run under every QEMU CPU model and
# under valgrind, which counts them for the physical limit.

BUILD ?= build
BENCH_CC ?= gcc
BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -static
BENCH_OUT := $(BUILD)/bench
BENCH_PROGS := $(addprefix $(BENCH_OUT)/,cg-serial cg-omp stream fwq micro \
	spawn fileread dynhello)

bench-programs: $(BENCH_PROGS)

# One source for both CG programs: the serial one ignores the OpenMP pragmas.
BENCH_CG := bench/cg.c bench/region.c
$(BENCH_OUT)/cg-serial: $(BENCH_CG) bench/region.h bench/bench.h
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -Wno-unknown-pragmas -o $@ $(BENCH_CG) -lm

# Static libgomp links dlopen (for offloading plugins, never used here) and
# the linker warns about it; drop that warning and keep any other message.
$(BENCH_OUT)/cg-omp: $(BENCH_CG) bench/region.h bench/bench.h
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -fopenmp -o $@ $(BENCH_CG) -lm \
		2>$@.log || { cat $@.log >&2; exit 1; }
	@grep -v -e 'libgomp\.a(.*): in function' -e "Using 'dlopen'" $@.log \
		>&2 || true
	@rm -f $@.log

$(BENCH_OUT)/stream: bench/stream.c bench/bench.h
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $< -lm

$(BENCH_OUT)/fwq: bench/fwq.c bench/bench.h
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $< -lm

$(BENCH_OUT)/micro: bench/micro.c bench/bench.h
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -pthread -o $@ $<

$(BENCH_OUT)/spawn: bench/spawn.c bench/bench.h
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $<

$(BENCH_OUT)/fileread: bench/fileread.c bench/bench.h
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_CFLAGS) -o $@ $<

# The one dynamically linked program: what spawn starts.
$(BENCH_OUT)/dynhello: bench/dynhello.c
	@mkdir -p $(dir $@)
	$(BENCH_CC) -O2 -Wall -Wextra -Werror -o $@ $<

.PHONY: bench-programs
