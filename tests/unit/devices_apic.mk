# The APIC devices (palacios/devices/lapic.c, ioapic.c), included from
# unit.mk: each alone, then both together end to end.

UNIT_TESTS += test_v3_lapic
test_v3_lapic_SRCS := $(V3_FIXTURE) palacios/devices/lapic.c

UNIT_TESTS += test_v3_ioapic
test_v3_ioapic_SRCS := $(V3_FIXTURE) palacios/devices/ioapic.c

UNIT_TESTS += test_v3_apic_irq
test_v3_apic_irq_SRCS := $(V3_FIXTURE) palacios/devices/lapic.c \
	palacios/devices/ioapic.c
