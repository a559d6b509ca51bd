// SPDX-License-Identifier: GPL-2.0
/*
 * dlopen() of a plugin (dynplugin.so, path in argv[1]): ld.so maps it
 * with mmap (MAP_FIXED segments over a reserved range), runs its
 * constructor, resolves symbols; dlclose() unmaps it and a second
 * dlopen() maps it again. A missing plugin gives dlerror()'s message.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static int failed;

static void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failed |= !ok;
}

static void load_and_call(const char *path, int round)
{
	int (*answer)(const char *, char *, size_t);
	char msg[64] = "";
	void *h = dlopen(path, RTLD_NOW);
	int *data;

	check(h != NULL, round ? "dlopen again after dlclose" : "dlopen the plugin");
	if (!h) {
		printf("dlerror: %s\n", dlerror());
		return;
	}
	answer = (int (*)(const char *, char *, size_t))dlsym(h, "plugin_answer");
	data = dlsym(h, "plugin_data");
	check(answer && data && *data == 1234, "dlsym finds its function and data");
	if (answer) {
		check(answer("dyndlopen", msg, sizeof(msg)) == 42,
		      "its constructor ran and its bss is writable");
		printf("%s\n", msg);
	}
	check(dlclose(h) == 0, "dlclose");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: dyndlopen PLUGIN.so\n");
		return 2;
	}
	load_and_call(argv[1], 0);
	load_and_call(argv[1], 1);
	check(dlopen("/no/such/plugin.so", RTLD_NOW) == NULL &&
	      strstr(dlerror(), "No such file"), "a missing plugin: dlerror says so");
	printf("dyndlopen: %s\n", failed ? "FAILED" : "all passed");
	return failed;
}
