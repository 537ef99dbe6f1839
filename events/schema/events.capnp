# The persisted form of every event and of the record around it.
#
# Rules for changing this file (docs/storage-format.md, "Schema evolution"):
#   - never renumber, retype or remove a field, an enumerant or a union member;
#   - add fields and event types only at the end, with the next free ordinal;
#   - bump kEventSchemaVersion in events/envelope.h and add golden samples of the new version
#     under tests/events/golden/ (the old samples stay and must keep decoding).

@0xeb2dbdd43f77857b;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("crm::schema");

# One stored log entry: the envelope, and the event as a nested message.
struct Record {
  seq @0 :UInt64;
  streamId @1 :Text;
  streamVersion @2 :UInt64;
  recordedAtMs @3 :Int64;
  effectiveAtMs @4 :Int64;
  actorId @5 :Text;
  commandId @6 :Text;
  schemaVersion @7 :UInt16;
  prevHash @8 :Data;     # 32 bytes: SHA-256 of the previous record; zeros for seq 1
  payload @9 :Data;      # a complete, unpacked Cap'n Proto message whose root is Event
}

enum Role {
  sales @0;
  manager @1;
  reviewer @2;
  aftersales @3;
  finance @4;
  auditor @5;
  admin @6;
}

enum HeldStage {
  potential @0;
  intention @1;
}

enum FollowUpChannel {
  phone @0;
  visit @1;
  email @2;
  wechat @3;
  other @4;
}

enum ProtectionSource {
  registration @0;
  pool @1;
}

struct Event {
  union {
    userCreated @0 :UserCreated;
    userRoleChanged @1 :UserRoleChanged;
    userTeamChanged @2 :UserTeamChanged;
    userDeactivated @3 :UserDeactivated;
    customersHandedOver @4 :CustomersHandedOver;
    policyChanged @5 :PolicyChanged;
    customerRegistered @6 :CustomerRegistered;
    customerProtected @7 :CustomerProtected;
    protectionApproved @8 :ProtectionApproved;
    protectionRejected @9 :ProtectionRejected;
    protectionReviewTimedOut @10 :ProtectionReviewTimedOut;
    contactAdded @11 :ContactAdded;
    followUpRecorded @12 :FollowUpRecorded;
    extensionRequested @13 :ExtensionRequested;
    extensionGranted @14 :ExtensionGranted;
    extensionDenied @15 :ExtensionDenied;
    promotionRequested @16 :PromotionRequested;
    customerPromoted @17 :CustomerPromoted;
    promotionDenied @18 :PromotionDenied;
    customerAbandoned @19 :CustomerAbandoned;
    protectionExpired @20 :ProtectionExpired;
    customerReassigned @21 :CustomerReassigned;
    customerHandedToAftersales @22 :CustomerHandedToAftersales;
    contractSigned @23 :ContractSigned;
    paymentRecorded @24 :PaymentRecorded;
  }
}

# ---- Users, teams and roles ----

struct UserCreated {
  userId @0 :Text;
  name @1 :Text;
  role @2 :Role;
  team @3 :Text;
  managerId @4 :Text;
  tokenSha256 @5 :Data;
}

struct UserRoleChanged {
  userId @0 :Text;
  role @1 :Role;
}

struct UserTeamChanged {
  userId @0 :Text;
  team @1 :Text;
  managerId @2 :Text;
}

struct UserDeactivated {
  userId @0 :Text;
  reason @1 :Text;
}

struct CustomersHandedOver {
  fromUserId @0 :Text;
  toUserId @1 :Text;
  reason @2 :Text;
  customerIds @3 :List(Text);
}

# ---- Policy ----

struct Policy {
  potentialDays @0 :UInt32;
  intentionDays @1 :UInt32;
  abandonCooldownDays @2 :UInt32;
  reviewWorkingDays @3 :UInt32;
  maxProtected @4 :UInt32;
  maxClaimsPerDay @5 :UInt32;
  maxExtensions @6 :UInt32;
  maxExtensionDays @7 :UInt32;
  promotionNeedsApproval @8 :Bool;
  maskPoolContacts @9 :Bool;
  holidays @10 :List(Text);
  timeZone @11 :Text;
  defaultAftersalesOwnerId @12 :Text;
}

struct PolicyChanged {
  policy @0 :Policy;
}

# ---- Customers ----

struct CustomerRegistered {
  customerId @0 :Text;
  name @1 :Text;
  normalizedName @2 :Text;
  region @3 :Text;
  industry @4 :Text;
  address @5 :Text;
  phone @6 :Text;
  intro @7 :Text;
  website @8 :Text;
}

struct CustomerProtected {
  customerId @0 :Text;
  ownerId @1 :Text;
  source @2 :ProtectionSource;
  deadlineMs @3 :Int64;
  reviewDeadlineMs @4 :Int64;
}

struct ProtectionApproved {
  customerId @0 :Text;
  ownerId @1 :Text;
  reason @2 :Text;
}

struct ProtectionRejected {
  customerId @0 :Text;
  ownerId @1 :Text;
  reason @2 :Text;
}

struct ProtectionReviewTimedOut {
  customerId @0 :Text;
  ownerId @1 :Text;
  reviewDeadlineMs @2 :Int64;
}

struct ContactAdded {
  customerId @0 :Text;
  contactId @1 :Text;
  name @2 :Text;
  title @3 :Text;
  mobile @4 :Text;
  phone @5 :Text;
  email @6 :Text;
  postcode @7 :Text;
}

struct FollowUpRecorded {
  customerId @0 :Text;
  followUpId @1 :Text;
  channel @2 :FollowUpChannel;
  notes @3 :Text;
  nextContact :union {
    none @4 :Void;
    atMs @5 :Int64;
  }
}

struct ExtensionRequested {
  customerId @0 :Text;
  requestId @1 :Text;
  days @2 :UInt32;
  reason @3 :Text;
}

struct ExtensionGranted {
  customerId @0 :Text;
  requestId @1 :Text;
  days @2 :UInt32;
  deadlineMs @3 :Int64;
  reason @4 :Text;
}

struct ExtensionDenied {
  customerId @0 :Text;
  requestId @1 :Text;
  reason @2 :Text;
}

struct PromotionRequested {
  customerId @0 :Text;
  requestId @1 :Text;
  reason @2 :Text;
}

struct CustomerPromoted {
  customerId @0 :Text;
  requestId @1 :Text;
  deadlineMs @2 :Int64;
  reason @3 :Text;
}

struct PromotionDenied {
  customerId @0 :Text;
  requestId @1 :Text;
  reason @2 :Text;
}

struct CustomerAbandoned {
  customerId @0 :Text;
  ownerId @1 :Text;
  reason @2 :Text;
  cooldownUntilMs @3 :Int64;
}

struct ProtectionExpired {
  customerId @0 :Text;
  ownerId @1 :Text;
  stage @2 :HeldStage;
  deadlineMs @3 :Int64;
}

struct CustomerReassigned {
  customerId @0 :Text;
  fromUserId @1 :Text;
  toUserId @2 :Text;
  reason @3 :Text;
}

struct CustomerHandedToAftersales {
  customerId @0 :Text;
  contractNo @1 :Text;
  fromUserId @2 :Text;
  aftersalesOwnerId @3 :Text;
}

# ---- Contracts and payments ----

struct ContractBuyer {
  name @0 :Text;
  taxId @1 :Text;
  address @2 :Text;
  phone @3 :Text;
  bank @4 :Text;
  bankAccount @5 :Text;
  contactPerson @6 :Text;
}

struct ContractLine {
  product @0 :Text;
  quantity @1 :Int64;
  unitPriceFen @2 :Int64;
  amountFen @3 :Int64;
}

struct ContractSigned {
  contractNo @0 :Text;
  customerId @1 :Text;
  contractType @2 :Text;
  signedAtMs @3 :Int64;
  paymentMethod @4 :Text;
  buyer @5 :ContractBuyer;
  lines @6 :List(ContractLine);
  extras @7 :List(Text);
  totalFen @8 :Int64;
  salesOwnerId @9 :Text;
}

struct PaymentRecorded {
  contractNo @0 :Text;
  customerId @1 :Text;
  paymentId @2 :Text;
  amountFen @3 :Int64;
  paidAtMs @4 :Int64;
  method @5 :Text;
  handler @6 :Text;
  account @7 :Text;
}
