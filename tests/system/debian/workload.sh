#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a shell user's script does, run by Debian's own bash on Kitten:
# pipes, subshells, command substitution, here-documents, background jobs
# and wait, and coreutils, grep, sed and gawk in one pipeline. Prints a
# line per part and "bash: all parts ok" at the end; exits 1 otherwise.
failed=0
part() {
	if [ "$2" = "$3" ]; then
		echo "bash: $1 ok"
	else
		echo "bash: $1 FAILED: got '$2', expected '$3'"
		failed=1
	fi
}

part pipe "$(printf '3\n1\n2\n' | sort -n | tr '\n' ' ')" "1 2 3 "
part subshell "$(x=outer; (x=inner; echo "$x"); echo "$x")" "inner
outer"
part substitution "$(echo "$(echo "$(( 6 * 7 ))")")" "42"
part heredoc "$(cat <<END
kitten $((1 + 1))
END
)" "kitten 2"

# Background jobs, each with its own status, collected by wait.
tmp=$(mktemp -d)
for i in 1 2 3; do
	(echo "job $i" >"$tmp/$i"; exit "$i") &
	pids[$i]=$!
done
statuses=""
for i in 1 2 3; do
	wait "${pids[$i]}"
	statuses="$statuses$? "
done
part wait "$statuses$(cat "$tmp"/1 "$tmp"/2 "$tmp"/3 | wc -l)" "1 2 3 3"
rm -rf "$tmp"

part tools "$(seq 1 100 | grep -E '7' | sed 's/^/n=/' |
	gawk -F= '{ s += $2 } END { print NR, s }' | cut -d' ' -f1,2)" "19 1188"

if [ "$failed" = 0 ]; then
	echo "bash: all parts ok"
fi
exit "$failed"
