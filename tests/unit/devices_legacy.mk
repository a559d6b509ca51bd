# The PC's legacy devices (palacios/include/palacios/devices_legacy.h).
UNIT_TESTS += test_v3_pic
test_v3_pic_SRCS := $(V3_FIXTURE) palacios/devices/pic8259.c

UNIT_TESTS += test_v3_pit
test_v3_pit_SRCS := $(V3_FIXTURE) palacios/devices/pit8254.c

UNIT_TESTS += test_v3_rtc
test_v3_rtc_SRCS := $(V3_FIXTURE) palacios/devices/rtc_cmos.c

UNIT_TESTS += test_v3_i8042
test_v3_i8042_SRCS := $(V3_FIXTURE) palacios/devices/i8042.c
