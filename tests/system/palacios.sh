# SPDX-License-Identifier: GPL-2.0
# Palacios is a library of its own: nothing in palacios/ includes a Kitten
# header, it links with nothing but its host interface and the C string
# functions, and Kitten reaches it through one short glue file.

if selected palacios-standalone; then
	hits=$(grep -rnE '#include +[<"](kitten|arch|\.\./)' "$top/palacios" || true)
	if [ -z "$hits" ]; then
		pass "palacios-standalone: no include of Kitten headers"
	else
		fail "palacios-standalone" "Kitten headers included: $hits"
	fi
	# Link the whole library into one object: what is still undefined is
	# what the host must provide besides struct v3_host_ops.
	ld -r --whole-archive "$BUILD/libpalacios.a" -o "$BUILD/palacios-all.o"
	undefined=$(nm -u "$BUILD/palacios-all.o" | awk '{print $2}' |
		grep -vxE 'memcpy|memset|memcmp|strlen' | tr '\n' ' ')
	if [ -z "$undefined" ]; then
		pass "palacios-standalone: needs only memcpy/memset/memcmp/strlen from its host"
	else
		fail "palacios-standalone" "undefined symbols: $undefined"
	fi
	glue=$top/kitten/vmm/palacios_glue.c
	glue_lines=$(wc -l <"$glue")
	others=$(grep -rlE '#include +<palacios/' "$top/kitten" | grep -v "$glue" || true)
	if [ -z "$others" ] && [ "$glue_lines" -le 400 ]; then
		pass "palacios-glue: one file, $glue_lines lines"
	else
		fail "palacios-glue" "$glue_lines lines; other files include Palacios: $others"
	fi
fi
