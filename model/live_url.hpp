// Checking a live target URL template (`[live] url`) as libcurl will parse it, so a URL
// that could never be fetched is refused when the scenario is loaded.
#pragma once

#include <string>
#include <string_view>

namespace model {

// What is wrong with `url_template` (an http:// or https:// URL with a {name}
// placeholder), or "" when libcurl accepts it with a name put in: the reason libcurl
// gives (a port outside 1..65535, a space, CR/LF or other control characters), or an
// empty host.
std::string live_url_problem(std::string_view url_template);

}  // namespace model
