// SPDX-License-Identifier: GPL-2.0
// C++ the way applications use it: exceptions across frames, iostreams,
// the standard containers and std::thread. Exits 0 when all of it works.
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

static int depth(int n)
{
	if (n == 0)
		throw std::runtime_error("bottom reached");
	return depth(n - 1) + 1;
}

int main()
{
	bool caught = false;

	try {
		depth(20);
	} catch (const std::runtime_error &e) {
		caught = std::string(e.what()) == "bottom reached";
	}
	std::map<std::string, int> words{{"kitten", 6}, {"palacios", 8}};
	std::vector<std::thread> pool;
	std::vector<long> sums(4);

	for (int t = 0; t < 4; t++)
		pool.emplace_back([t, &sums] {
			for (long i = 0; i <= 1000; i++)
				sums[t] += i * (t + 1);
		});
	for (auto &th : pool)
		th.join();
	bool threads_ok = true;

	for (int t = 0; t < 4; t++)
		threads_ok &= sums[t] == 500500L * (t + 1);
	std::cout << "c++: exception " << (caught ? "caught" : "LOST")
		  << ", map " << words["palacios"] << ", threads "
		  << (threads_ok ? "ok" : "WRONG") << std::endl;
	return !(caught && threads_ok && words["palacios"] == 8);
}
