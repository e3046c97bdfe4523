// Entry points of the fsql subcommands. Each returns the process exit code:
// 0 success, 1 a failure at run time, 2 invalid usage or rules that do not load.
#pragma once

#include <string>
#include <vector>

namespace fsql::cli {

int Check(const std::vector<std::string>& args);
int Explain(const std::vector<std::string>& args);
int Run(const std::vector<std::string>& args);
int Broker(const std::vector<std::string>& args);
int Generate(const std::vector<std::string>& args);
int Demo(const std::vector<std::string>& args);
int Test(const std::vector<std::string>& args);

}  // namespace fsql::cli
