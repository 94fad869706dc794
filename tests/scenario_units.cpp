// Tests for model/units: durations, sizes and rates as people write them, and back.
#include <catch2/catch.hpp>
#include <string>

#include "model/units.hpp"

using Catch::Matchers::Contains;
using model::format_duration;
using model::format_rate;
using model::format_size;
using model::parse_duration;
using model::parse_rate;
using model::parse_size;
using model::UnitError;

TEST_CASE("durations parse with their units", "[units]") {
  CHECK(parse_duration("250ms") == Approx(0.25));
  CHECK(parse_duration("1.5s") == Approx(1.5));
  CHECK(parse_duration("2min") == Approx(120));
  CHECK(parse_duration("1h") == Approx(3600));
  CHECK(parse_duration("100us") == Approx(100e-6));
  CHECK(parse_duration("100\xC2\xB5s") == Approx(100e-6));
  CHECK(parse_duration("7ns") == Approx(7e-9));
  CHECK(parse_duration("0s") == 0);
  CHECK(parse_duration("0") == 0);
  CHECK(parse_duration(" 3 s ") == Approx(3));
  CHECK(parse_duration("1e3ms") == Approx(1));
  CHECK(parse_duration(".5s") == Approx(0.5));
}

TEST_CASE("bad durations say what is accepted", "[units]") {
  CHECK_THROWS_WITH(parse_duration("5"), Contains("has no unit"));
  CHECK_THROWS_WITH(parse_duration("5 sec"), Contains("did you mean 's'?") && Contains("ns, us"));
  CHECK_THROWS_WITH(parse_duration("5 MS"), Contains("did you mean 'ms'?"));
  CHECK_THROWS_WITH(parse_duration("2m"), Contains("did you mean 'min'?"));
  CHECK_THROWS_WITH(parse_duration("-1s"), Contains("negative"));
  CHECK_THROWS_WITH(parse_duration(""), Contains("empty"));
  CHECK_THROWS_WITH(parse_duration("fast"), Contains("not a duration"));
  CHECK_THROWS_WITH(parse_duration("nan s"), Contains("not a duration"));
  CHECK_THROWS_WITH(parse_duration("inf"), Contains("not a duration"));
  CHECK_THROWS_WITH(parse_duration("1e400s"), Contains("out of range"));
  CHECK_THROWS_WITH(parse_duration("1e9s"), Contains("too long"));
  CHECK_THROWS_AS(parse_duration("1.2.3s"), UnitError);
}

TEST_CASE("sizes: SI powers of 1000, binary powers of 1024, bare numbers are bytes", "[units]") {
  CHECK(parse_size("512 B") == 512);
  CHECK(parse_size("512") == 512);
  CHECK(parse_size("2.5 KiB") == 2560);
  CHECK(parse_size("3 MB") == 3e6);
  CHECK(parse_size("3MB") == 3e6);
  CHECK(parse_size("1 kB") == 1000);
  CHECK(parse_size("1 MiB") == 1048576);
  CHECK(parse_size("1 GiB") == 1073741824.0);
  CHECK(parse_size("2 GB") == 2e9);
  CHECK(parse_size("1 TiB") == 1099511627776.0);
}

TEST_CASE("bad sizes", "[units]") {
  CHECK_THROWS_WITH(parse_size("3 Mbit"), Contains("not bits") && Contains("KiB"));
  CHECK_THROWS_WITH(parse_size("3 kib"), Contains("did you mean 'KiB'?"));
  CHECK_THROWS_WITH(parse_size("3 MB/s"), Contains("that is a rate"));
  CHECK_THROWS_WITH(parse_size("3 XB"), Contains("unknown size unit 'XB'"));
  CHECK_THROWS_WITH(parse_size("-3 B"), Contains("negative"));
}

TEST_CASE("rates: bits and bytes per second", "[units]") {
  CHECK(parse_rate("20 Mbit/s") == 2.5e6);
  CHECK(parse_rate("8 bit/s") == 1);
  CHECK(parse_rate("2.5 MB/s") == 2.5e6);
  CHECK(parse_rate("100 KiB/s") == 102400);
  CHECK(parse_rate("1 Gbps") == 1.25e8);
  CHECK(parse_rate("0") == 0);
}

TEST_CASE("bad rates", "[units]") {
  CHECK_THROWS_WITH(parse_rate("20"), Contains("has no unit") && Contains("Mbit/s"));
  CHECK_THROWS_WITH(parse_rate("20 Mbit"), Contains("needs '/s'"));
  CHECK_THROWS_WITH(parse_rate("20 mbit/s"), Contains("did you mean 'Mbit/s'?"));
  CHECK_THROWS_WITH(parse_rate("20 furlongs/s"), Contains("expected one of"));
}

TEST_CASE("durations format exactly and briefly", "[units]") {
  using namespace std::chrono_literals;
  CHECK(format_duration(0ns) == "0s");
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(1500ms) == "1.5s");
  CHECK(format_duration(2min) == "2min");
  CHECK(format_duration(90s) == "90s");
  CHECK(format_duration(1h) == "1h");
  CHECK(format_duration(100us) == "100us");
  CHECK(format_duration(7ns) == "7ns");
  CHECK(format_duration(1234567ns) == "1.234567ms");
  CHECK(format_duration(1000000001ns) == "1.000000001s");
}

TEST_CASE("sizes and rates format to the shortest exact form", "[units]") {
  CHECK(format_size(0) == "0 B");
  CHECK(format_size(2560) == "2.5 KiB");
  CHECK(format_size(11925) == "11925 B");
  CHECK(format_size(3e6) == "3 MB");
  CHECK(format_size(1048576) == "1 MiB");
  CHECK(format_size(parse_size("2.3 KiB")) == "2.3 KiB");
  CHECK(format_rate(2.5e6) == "20 Mbit/s");
  CHECK(format_rate(102400) == "100 KiB/s");
  CHECK(format_rate(1.25e8) == "1 Gbit/s");
}

TEST_CASE("formatted values parse back to the same value", "[units]") {
  for (double bytes :
       {1.0, 7.5, 999.0, 1000.0, 1023.0, 1024.0, 2355.2, 11925.0, 123456789.0, 3.3e12, 0.1}) {
    CAPTURE(bytes);
    CHECK(parse_size(format_size(bytes)) == bytes);
  }
  for (double rate : {1.0, 125.0, 2.5e6, 1.25e8, 102400.0, 333333.3}) {
    CAPTURE(rate);
    CHECK(parse_rate(format_rate(rate)) == rate);
  }
  for (std::int64_t ns : {1LL, 999LL, 1000LL, 123456789LL, 60'000'000'000LL, 3'600'000'000'001LL}) {
    CAPTURE(ns);
    CHECK(sim::from_seconds(parse_duration(format_duration(sim::Duration{ns}))).count() == ns);
  }
}

TEST_CASE("sizes and rates round for display when asked", "[units]") {
  CHECK(format_size(11925, 3) == "11.6 KiB");
  CHECK(format_size(512, 3) == "512 B");
  CHECK(format_size(3.5 * 1048576, 2) == "3.5 MiB");
  CHECK(format_rate(2.5e6, 3) == "20 Mbit/s");
  CHECK(format_rate(1.3e6, 3) == "10.4 Mbit/s");
}
