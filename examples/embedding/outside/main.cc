// Runs one rule through an installed fsql and prints the row it writes.
#include <cstdio>

#include <fsql/engine.h>

int main() {
  fsql::embed::Engine engine;
  engine.Load(R"sql(
    CREATE TABLE readings (sensor STRING, celsius DOUBLE) WITH ('connector' = 'embedded');
    CREATE TABLE alerts (sensor STRING, fahrenheit DOUBLE) WITH ('connector' = 'embedded');
    INSERT INTO alerts SELECT sensor, celsius * 9 / 5 + 32 FROM readings WHERE celsius > 30;
  )sql");
  engine.Push("readings", R"({"sensor": "s1", "celsius": 21.0})");
  engine.Push("readings", R"({"sensor": "s2", "celsius": 40.0})");
  for (const auto& row : engine.Poll("alerts")) std::printf("%s\n", row.ToJson().c_str());
  return 0;
}
