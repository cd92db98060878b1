// Contract tests (files): see tests/test_contract.cpp for the error contract these extend.
#include <catch2/catch.hpp>

#include "cli_runner.hpp"
