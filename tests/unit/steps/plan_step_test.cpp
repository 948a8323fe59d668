// A plan step's type says what it carries: each StepKind is one alternative of
// plan::TypedStep and back, the kind and the sending namespace follow from it, and a
// kind paired with another kind's object does not compile.
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/steps/plan.hpp"

namespace podnetc {
namespace {

static_assert(!std::is_constructible_v<plan::AddRoute, kernel::Address>, "a route step cannot hold an address");
static_assert(!std::is_constructible_v<plan::AddAddress, kernel::Route>, "an address step cannot hold a route");
static_assert(!std::is_constructible_v<plan::CreateNetns, plan::LinkCreate>);
static_assert(!std::is_convertible_v<kernel::Route, plan::Step>, "a Step is made from a typed step, not an object");
static_assert(std::is_convertible_v<plan::DeleteRoute, plan::Step>);

template <std::size_t... I>
std::vector<std::pair<plan::StepKind, plan::StepKind>> kinds_by_alternative(std::index_sequence<I...>) {
    // (the alternative's own kind, the kind of a Step built from it)
    return {{std::variant_alternative_t<I, plan::TypedStep>::kind,
             plan::Step{std::variant_alternative_t<I, plan::TypedStep>{}}.kind()}...};
}

TEST_CASE("every step kind has exactly one alternative, and back", "[plan][steps]") {
    const auto pairs = kinds_by_alternative(std::make_index_sequence<std::variant_size_v<plan::TypedStep>>{});
    std::set<plan::StepKind> seen;
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto [declared, derived] = pairs[i];
        CHECK(declared == derived);
        CHECK(static_cast<std::size_t>(declared) == i);
        seen.insert(declared);
        names.insert(plan::step_kind_name(declared));
    }
    const auto kinds = static_cast<std::size_t>(plan::StepKind::delete_neighbor) + 1;
    CHECK(pairs.size() == kinds);
    CHECK(seen.size() == kinds);
    CHECK(names.size() == kinds);
}

TEST_CASE("a step's namespace is its object's", "[plan][steps]") {
    CHECK(plan::Step{plan::DeleteNetns{plan::NetnsSpec{"pod-1"}}}.netns() == "pod-1");
    plan::LinkCreate pair;
    pair.end = plan::LinkEnd{"", "veth1", std::nullopt, 0, 0};
    pair.peer = plan::LinkEnd{"pod-1", "eth0", std::nullopt, 0, 0};
    CHECK(plan::Step{plan::CreateLink{pair}}.netns().empty());  // sent from the primary end's namespace
    kernel::Route route;
    route.netns = "pod-2";
    CHECK(plan::Step{plan::ReplaceRoute{route}}.netns() == "pod-2");
}

TEST_CASE("object_if finds the object of any step of its type", "[plan][steps]") {
    kernel::Route route;
    route.netns = "pod-1";
    route.dev = "eth0";
    for (const plan::Step& step : {plan::Step{plan::AddRoute{route}}, plan::Step{plan::ReplaceRoute{route}},
                                   plan::Step{plan::DeleteRoute{route}}}) {
        const kernel::Route* found = plan::object_if<kernel::Route>(step);
        REQUIRE(found != nullptr);
        CHECK(found->dev == "eth0");
        CHECK(plan::object_if<kernel::Address>(step) == nullptr);
    }
    const plan::Step netns{plan::CreateNetns{plan::NetnsSpec{"pod-1"}}};
    CHECK(plan::object_if<kernel::Route>(netns) == nullptr);
    CHECK(plan::object_of<plan::NetnsSpec>(netns).name == "pod-1");
    CHECK_THROWS_AS(plan::object_of<kernel::Route>(netns), std::bad_variant_access);
}

}  // namespace
}  // namespace podnetc
