# Palacios's x86 decoder and emulator (palacios/decoder/), included from
# unit.mk. test_decoder_capstone compares the decoder with Capstone 4
# (libcapstone-dev); its library comes after the sources through
# $(test_decoder_capstone_LDLIBS).

UNIT_TESTS += test_decoder
test_decoder_SRCS := palacios/decoder/decode.c

UNIT_TESTS += test_emulate
test_emulate_SRCS := palacios/decoder/decode.c palacios/decoder/emulate.c

UNIT_TESTS += test_decoder_capstone
test_decoder_capstone_SRCS := palacios/decoder/decode.c
test_decoder_capstone_LDLIBS := -lcapstone
