# Host unit tests: one cmocka program per file tests/unit/<name>.c.
# Add the program to UNIT_TESTS and list the kernel sources it links.
UNIT_TESTS :=
