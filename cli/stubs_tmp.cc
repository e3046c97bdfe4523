#include "cli/commands.h"
namespace fsql::cli {
int Run(const std::vector<std::string>&) { return 2; }
int Broker(const std::vector<std::string>&) { return 2; }
int Generate(const std::vector<std::string>&) { return 2; }
int Demo(const std::vector<std::string>&) { return 2; }
}
