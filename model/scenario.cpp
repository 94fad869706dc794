// Small member functions of the scenario value types.
#include "model/scenario.hpp"

namespace model {

std::size_t Workload::download_count() const {
  switch (kind) {
    case Kind::items:
      return items.size();
    case Kind::generated:
      return count > 0 ? static_cast<std::size_t>(count) : 0;
    case Kind::sleeps:
      return sleeps.size();
  }
  return 0;
}

}  // namespace model
