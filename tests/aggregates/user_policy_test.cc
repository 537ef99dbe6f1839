// Users and the policy: the admin's rulebook. Who was given which rights, and which rule was in
// force when, are events like any other.
#include <functional>

#include "decider_fixture.h"
#include "testutil/status_matchers.h"

namespace crm::aggregates {
namespace {

using namespace decider_test;

CreateUser NewUser(const std::string& id, events::Role role = events::Role::kSales, const std::string& team = "east",
                   const std::string& manager_id = "") {
  CreateUser create;
  create.user_id = id;
  create.name = "张三";
  create.role = role;
  create.team = team;
  create.manager_id = manager_id;
  create.token_sha256.fill(0xAB);
  return create;
}

class UserTest : public DeciderTest {};

TEST_F(UserTest, AnAdminCreatesAUser) {
  ASSERT_OK_AND_ASSIGN(const Decision decision, UserAs("root", NewUser("s9", events::Role::kSales, "east", "m1")));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"UserCreated"});
  EXPECT_EQ(decision.events[0].stream_id, "user-s9");
  EXPECT_EQ(decision.events[0].actor_id, "root");
  events::UserCreated expected{.user_id = "s9",
                               .name = "张三",
                               .role = events::Role::kSales,
                               .team = "east",
                               .manager_id = "m1",
                               .token_sha256 = {}};
  expected.token_sha256.fill(0xAB);
  EXPECT_EQ(As<events::UserCreated>(decision.events[0]), expected);
  Given(decision);
  ASSERT_NE(directory().FindUser("s9"), nullptr);
  EXPECT_TRUE(directory().FindUser("s9")->active);
  EXPECT_EQ(directory().FindUserByToken(expected.token_sha256), directory().FindUser("s9"));
}

TEST_F(UserTest, UserIdsAreUniqueIdentifiersAndSystemIsReserved) {
  EXPECT_REASON(UserAs("root", NewUser("s1")), "user_exists");
  for (const std::string& id : std::vector<std::string>{"", "has space", "张三", std::string(65, 'u')}) {
    SCOPED_TRACE(id);
    EXPECT_REASON(UserAs("root", NewUser(id)), "invalid_user_id");
  }
  EXPECT_REASON(UserAs("root", NewUser("system")), "invalid_user_id");
  CreateUser nameless = NewUser("s9");
  nameless.name = "";
  EXPECT_REASON(UserAs("root", nameless), "missing_field");
}

TEST_F(UserTest, ATokenAlreadyInUseIsRefused) {
  Accept(UserAs("root", NewUser("s8")));
  EXPECT_FALSE(UserAs("root", NewUser("s9")).ok()) << "both use token 0xAB...";
}

TEST_F(UserTest, TheManagerMustBeAManager) {
  EXPECT_REASON(UserAs("root", NewUser("s9", events::Role::kSales, "east", "s1")), "invalid_manager");
  EXPECT_REASON(UserAs("root", NewUser("s9", events::Role::kSales, "east", "ghost")), "invalid_manager");
  EXPECT_OK(UserAs("root", NewUser("s9", events::Role::kSales, "", "m2")));
}

TEST_F(UserTest, OnlyAnActiveAdminManagesUsers) {
  for (const std::string actor : {"m1", "s1", "au1"}) {
    SCOPED_TRACE(actor);
    EXPECT_REASON(UserAs(actor, NewUser("s9")), "role_forbidden");
  }
  Accept(UserAs("root", NewUser("root2", events::Role::kAdmin, "")));
  Accept(UserAs("root2", DeactivateUser{.user_id = "root", .reason = "rotated"}));
  EXPECT_REASON(UserAs("root", NewUser("s9")), "user_deactivated");
  EXPECT_REASON(UserAs("ghost", NewUser("s9")), "unknown_user");
}

TEST_F(UserTest, DeactivationIsAnEventAndADeactivatedUserCanDoNothing) {
  ASSERT_OK_AND_ASSIGN(const Decision decision, UserAs("root", DeactivateUser{.user_id = "s1", .reason = "离职"}));
  EXPECT_EQ(decision.events[0].stream_id, "user-s1");
  EXPECT_EQ(As<events::UserDeactivated>(decision.events[0]),
            (events::UserDeactivated{.user_id = "s1", .reason = "离职"}));
  Given(decision);
  EXPECT_FALSE(directory().FindUser("s1")->active);
  const Result<Decision> result = RegisterAs("s1", Registration("C1"));
  EXPECT_REASON(result, "user_deactivated");
  EXPECT_EQ(result.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(UserTest, DeactivationNeedsAnActiveUserOtherThanOneself) {
  EXPECT_REASON(UserAs("root", DeactivateUser{.user_id = "ghost", .reason = ""}), "user_not_found");
  Accept(UserAs("root", DeactivateUser{.user_id = "s1", .reason = ""}));
  EXPECT_REASON(UserAs("root", DeactivateUser{.user_id = "s1", .reason = ""}), "user_inactive");
  EXPECT_REASON(UserAs("root", DeactivateUser{.user_id = "root", .reason = ""}), "cannot_deactivate_self");
}

TEST_F(UserTest, ARoleChangeIsAnEvent) {
  ASSERT_OK_AND_ASSIGN(const Decision decision,
                       UserAs("root", ChangeUserRole{.user_id = "s1", .role = events::Role::kManager}));
  EXPECT_EQ(As<events::UserRoleChanged>(decision.events[0]),
            (events::UserRoleChanged{.user_id = "s1", .role = events::Role::kManager}));
  Given(decision);
  EXPECT_EQ(directory().FindUser("s1")->role, events::Role::kManager);
  EXPECT_REASON(RegisterAs("s1", Registration("C1")), "role_forbidden");
}

TEST_F(UserTest, RoleChangesAreRefusedForOneselfUnknownAndInactiveUsers) {
  EXPECT_REASON(UserAs("root", ChangeUserRole{.user_id = "root", .role = events::Role::kSales}),
                "cannot_change_own_role");
  EXPECT_REASON(UserAs("root", ChangeUserRole{.user_id = "ghost", .role = events::Role::kSales}), "user_not_found");
  Accept(UserAs("root", DeactivateUser{.user_id = "s1", .reason = ""}));
  EXPECT_REASON(UserAs("root", ChangeUserRole{.user_id = "s1", .role = events::Role::kManager}), "user_inactive");
}

TEST_F(UserTest, AUserWhoOwnsCustomersKeepsTheRoleUntilTheyAreHandedOver) {
  Protected("C1", "s1");
  const Result<Decision> result = UserAs("root", ChangeUserRole{.user_id = "s1", .role = events::Role::kManager});
  EXPECT_REASON(result, "user_owns_customers");
  EXPECT_EQ(result.status().code(), StatusCode::kConflict);
  EXPECT_OK(UserAs("root", ChangeUserRole{.user_id = "s1", .role = events::Role::kSales}));  // no change
  Accept(HandoverAs("m1", HandOverCustomers{.from_user_id = "s1", .to_user_id = "s2", .reason = "转岗"}));
  EXPECT_OK(UserAs("root", ChangeUserRole{.user_id = "s1", .role = events::Role::kManager}));
  Formal("F1", "HT-1", 100, "s2");
  EXPECT_REASON(UserAs("root", ChangeUserRole{.user_id = "a1", .role = events::Role::kSales}), "user_owns_customers");
}

TEST_F(UserTest, CustomersWhoseHoldHasEndedDoNotBlockARoleChange) {
  Protected("C1", "s1");
  At(kT0 + 30 * kDay);
  EXPECT_OK(UserAs("root", ChangeUserRole{.user_id = "s1", .role = events::Role::kManager}));
}

TEST_F(UserTest, ATeamChangeMovesTheUserIntoAnotherManagersScope) {
  Protected("C1", "s1");
  ASSERT_OK_AND_ASSIGN(const Decision decision,
                       UserAs("root", ChangeUserTeam{.user_id = "s1", .team = "west", .manager_id = "m2"}));
  EXPECT_EQ(As<events::UserTeamChanged>(decision.events[0]),
            (events::UserTeamChanged{.user_id = "s1", .team = "west", .manager_id = "m2"}));
  Given(decision);
  EXPECT_REASON(DecideAs("m1", "C1", ReassignCustomer{.to_user_id = "s2", .reason = "x"}), "not_your_team");
  EXPECT_OK(DecideAs("m2", "C1", ReassignCustomer{.to_user_id = "s3", .reason = "x"}));
}

TEST_F(UserTest, TeamChangesAreChecked) {
  EXPECT_REASON(UserAs("root", ChangeUserTeam{.user_id = "s1", .team = "west", .manager_id = "s3"}), "invalid_manager");
  EXPECT_REASON(UserAs("root", ChangeUserTeam{.user_id = "ghost", .team = "west", .manager_id = ""}), "user_not_found");
  EXPECT_REASON(UserAs("m1", ChangeUserTeam{.user_id = "s1", .team = "west", .manager_id = ""}), "role_forbidden");
  Accept(UserAs("root", DeactivateUser{.user_id = "s2", .reason = ""}));
  EXPECT_REASON(UserAs("root", ChangeUserTeam{.user_id = "s2", .team = "west", .manager_id = ""}), "user_inactive");
}

TEST(FirstAdminTest, TheFirstUserIsAnAdminCreatedBySystem) {
  const Directory empty;
  CreateUser admin = NewUser("root", events::Role::kAdmin, "");
  ASSERT_OK_AND_ASSIGN(const Decision decision, DecideFirstAdmin(admin, empty));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"UserCreated"});
  EXPECT_EQ(decision.events[0].actor_id, "system");
  EXPECT_EQ(decision.events[0].stream_id, "user-root");
  EXPECT_EQ(As<events::UserCreated>(decision.events[0]).role, events::Role::kAdmin);
  EXPECT_REASON(DecideFirstAdmin(NewUser("boss", events::Role::kManager, ""), empty), "invalid_role");
  EXPECT_REASON(DecideFirstAdmin(NewUser("system", events::Role::kAdmin, ""), empty), "invalid_user_id");
}

TEST_F(UserTest, ThereIsOnlyOneFirstAdmin) {
  const Result<Decision> result = DecideFirstAdmin(NewUser("root2", events::Role::kAdmin, ""), directory());
  EXPECT_REASON(result, "already_initialised");
  EXPECT_EQ(result.status().code(), StatusCode::kConflict);
}

class PolicyTest : public DeciderTest {};

TEST_F(PolicyTest, AnAdminChangesTheWholePolicy) {
  events::Policy policy;
  policy.max_protected = 50;
  policy.holidays = {"2026-10-01", "2026-10-02"};
  policy.default_aftersales_owner_id = "a1";
  ASSERT_OK_AND_ASSIGN(const Decision decision, PolicyAs("root", policy));
  ASSERT_EQ(TypeNames(decision), std::vector<std::string>{"PolicyChanged"});
  EXPECT_EQ(decision.events[0].stream_id, "policy");
  EXPECT_EQ(decision.events[0].actor_id, "root");
  EXPECT_EQ(As<events::PolicyChanged>(decision.events[0]).policy, policy);
  Given(decision);
  EXPECT_EQ(directory().policy().InForceAt(now()), policy);
  EXPECT_EQ(directory().policy().InForceAt(now() - kMs), events::Policy{});
}

TEST_F(PolicyTest, OnlyAnActiveAdminChangesThePolicy) {
  EXPECT_REASON(PolicyAs("m1", events::Policy{}), "role_forbidden");
  EXPECT_REASON(PolicyAs("au1", events::Policy{}), "role_forbidden");
  EXPECT_REASON(PolicyAs("ghost", events::Policy{}), "unknown_user");
}

TEST_F(PolicyTest, EveryNumberHasARange) {
  const std::vector<std::pair<std::string, std::function<void(events::Policy&)>>> cases = {
      {"potentialDays", [](events::Policy& p) { p.potential_days = 0; }},
      {"potentialDays", [](events::Policy& p) { p.potential_days = 3651; }},
      {"intentionDays", [](events::Policy& p) { p.intention_days = 0; }},
      {"abandonCooldownDays", [](events::Policy& p) { p.abandon_cooldown_days = 3651; }},
      {"reviewWorkingDays", [](events::Policy& p) { p.review_working_days = 0; }},
      {"reviewWorkingDays", [](events::Policy& p) { p.review_working_days = 251; }},
      {"maxProtected", [](events::Policy& p) { p.max_protected = 0; }},
      {"maxClaimsPerDay", [](events::Policy& p) { p.max_claims_per_day = 0; }},
      {"maxExtensions", [](events::Policy& p) { p.max_extensions = 101; }},
      {"maxExtensionDays", [](events::Policy& p) { p.max_extension_days = 0; }},
      {"holidays", [](events::Policy& p) { p.holidays = {"2026-13-01"}; }},
      {"holidays", [](events::Policy& p) { p.holidays = std::vector<std::string>(1001, "2026-10-01"); }},
      {"timeZone", [](events::Policy& p) { p.time_zone = ""; }},
      {"defaultAftersalesOwnerId", [](events::Policy& p) { p.default_aftersales_owner_id = "s1"; }},
      {"defaultAftersalesOwnerId", [](events::Policy& p) { p.default_aftersales_owner_id = "ghost"; }},
  };
  for (const auto& [field, spoil] : cases) {
    SCOPED_TRACE(field);
    events::Policy policy;
    spoil(policy);
    const Result<Decision> result = PolicyAs("root", policy);
    EXPECT_REASON(result, "invalid_policy");
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().details().at("field"), field);
  }
  events::Policy edges;
  edges.abandon_cooldown_days = 0;
  edges.max_extensions = 0;
  EXPECT_OK(PolicyAs("root", edges));
}

TEST_F(PolicyTest, TheDefaultAftersalesOwnerMustBeActive) {
  Accept(UserAs("root", DeactivateUser{.user_id = "a1", .reason = ""}));
  events::Policy policy;
  policy.default_aftersales_owner_id = "a1";
  EXPECT_REASON(PolicyAs("root", policy), "invalid_policy");
}

TEST_F(PolicyTest, ThePolicyInForceIsTheLastChangeEffectiveAtOrBeforeTheTime) {
  PolicyState state;
  events::Policy first;
  first.max_protected = 10;
  events::Policy second;
  second.max_protected = 20;
  state = EvolvePolicy(state, events::PolicyChanged{.policy = first}, kT0);
  state = EvolvePolicy(state, events::PolicyChanged{.policy = second}, kT0 + kDay);
  EXPECT_EQ(state.InForceAt(kT0 - kMs).max_protected, 200u);
  EXPECT_EQ(state.InForceAt(kT0).max_protected, 10u);
  EXPECT_EQ(state.InForceAt(kT0 + kDay - kMs).max_protected, 10u);
  EXPECT_EQ(state.InForceAt(kT0 + kDay).max_protected, 20u);
  EXPECT_EQ(state.version, 2u);
}

TEST_F(PolicyTest, TheQuotaInForceAtNowIsTheOneApplied) {
  Registered("C1", "s1");
  events::Policy policy;
  policy.max_protected = 1;
  Record("policy", events::PolicyChanged{.policy = policy}, "root", kT0 + kDay);
  At(kT0 + kDay - kMs);
  EXPECT_OK(RegisterAs("s1", Registration("C2")));
  At(kT0 + kDay);
  EXPECT_REASON(RegisterAs("s1", Registration("C2")), "quota_exceeded");
}

}  // namespace
}  // namespace crm::aggregates
