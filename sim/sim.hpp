// The engine in one include: simulation, processes, events, conditions, resources, stores.
#pragma once

#include "sim/condition.hpp"
#include "sim/errors.hpp"
#include "sim/event.hpp"
#include "sim/process.hpp"
#include "sim/resource.hpp"
#include "sim/simulation.hpp"
#include "sim/store.hpp"
