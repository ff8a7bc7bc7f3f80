//! The declared properties of each resource type Graph v1.0 lists on its resource pages
//! (learn.microsoft.com/graph/api/resources/{type}, "Properties" and "Relationships"), so that a
//! body or a `$select` naming a property the type does not have is refused as Graph refuses it,
//! instead of being stored: a program that misspells a property, or uses a schema extension's
//! bare name for its registered id, fails against the emulator as it would on a tenant.
//!
//! Extension data is not here: schema extension ids, `extension_{appId}_{name}` and the
//! extension attributes are each checked by their own flow. Names compare ignoring ASCII case,
//! as Graph's JSON reader does; an annotation (`@odata.type`, `manager@odata.bind`) is not a
//! property.

use extensions_core::ResourceKind;

const USER: &[&str] = &[
    "aboutMe",
    "accountEnabled",
    "ageGroup",
    "assignedLicenses",
    "assignedPlans",
    "authorizationInfo",
    "birthday",
    "businessPhones",
    "city",
    "companyName",
    "consentProvidedForMinor",
    "country",
    "createdDateTime",
    "creationType",
    "customSecurityAttributes",
    "deletedDateTime",
    "department",
    "displayName",
    "employeeHireDate",
    "employeeId",
    "employeeLeaveDateTime",
    "employeeOrgData",
    "employeeType",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "faxNumber",
    "givenName",
    "hireDate",
    "id",
    "identities",
    "imAddresses",
    "interests",
    "isManagementRestricted",
    "isResourceAccount",
    "jobTitle",
    "lastPasswordChangeDateTime",
    "legalAgeGroupClassification",
    "licenseAssignmentStates",
    "mail",
    "mailboxSettings",
    "mailNickname",
    "mobilePhone",
    "mySite",
    "officeLocation",
    "onPremisesDistinguishedName",
    "onPremisesDomainName",
    "onPremisesExtensionAttributes",
    "onPremisesImmutableId",
    "onPremisesLastSyncDateTime",
    "onPremisesProvisioningErrors",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "onPremisesUserPrincipalName",
    "otherMails",
    "passwordPolicies",
    "passwordProfile",
    "pastProjects",
    "postalCode",
    "preferredDataLocation",
    "preferredLanguage",
    "preferredName",
    "print",
    "provisionedPlans",
    "proxyAddresses",
    "responsibilities",
    "schools",
    "securityIdentifier",
    "serviceProvisioningErrors",
    "showInAddressList",
    "signInActivity",
    "signInSessionsValidFromDateTime",
    "skills",
    "state",
    "streetAddress",
    "surname",
    "usageLocation",
    "userPrincipalName",
    "userType",
    // Beta.
    "cloudRealtimeCommunicationInfo",
    "deviceKeys",
    "externalUserConvertedOn",
    "infoCatalogs",
    "isLicenseReconciliationNeeded",
    "mailboxSettings",
    "onPremisesObjectIdentifier",
    "onPremisesSipInfo",
    "refreshTokensValidFromDateTime",
    "securityIdentifier",
];

/// The relationships of `USER` (selectable, never `null`-filled).
const USER_NAV: &[&str] = &[
    "activities",
    "agreementAcceptances",
    "appRoleAssignments",
    "authentication",
    "calendar",
    "calendarGroups",
    "calendars",
    "calendarView",
    "cloudClipboard",
    "contactFolders",
    "contacts",
    "createdObjects",
    "directReports",
    "drive",
    "drives",
    "employeeExperience",
    "events",
    "extensions",
    "followedSites",
    "inferenceClassification",
    "insights",
    "joinedTeams",
    "licenseDetails",
    "mailFolders",
    "managedAppRegistrations",
    "managedDevices",
    "manager",
    "memberOf",
    "messages",
    "oauth2PermissionGrants",
    "onenote",
    "onlineMeetings",
    "outlook",
    "ownedDevices",
    "ownedObjects",
    "people",
    "permissionGrants",
    "photo",
    "photos",
    "planner",
    "presence",
    "registeredDevices",
    "settings",
    "solutions",
    "sponsors",
    "teamwork",
    "todo",
    "transitiveMemberOf",
];

const GROUP: &[&str] = &[
    "allowExternalSenders",
    "assignedLabels",
    "assignedLicenses",
    "autoSubscribeNewMembers",
    "classification",
    "createdDateTime",
    "deletedDateTime",
    "description",
    "displayName",
    "expirationDateTime",
    "groupTypes",
    "hasMembersWithLicenseErrors",
    "hideFromAddressLists",
    "hideFromOutlookClients",
    "id",
    "isArchived",
    "isAssignableToRole",
    "isManagementRestricted",
    "isSubscribedByMail",
    "licenseProcessingState",
    "mail",
    "mailEnabled",
    "mailNickname",
    "membershipRule",
    "membershipRuleProcessingState",
    "onPremisesDomainName",
    "onPremisesLastSyncDateTime",
    "onPremisesNetBiosName",
    "onPremisesProvisioningErrors",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "preferredDataLocation",
    "preferredLanguage",
    "proxyAddresses",
    "renewedDateTime",
    "securityEnabled",
    "securityIdentifier",
    "serviceProvisioningErrors",
    "theme",
    "uniqueName",
    "unseenCount",
    "visibility",
    // Beta, and accepted by v1.0 on create (the Learn exercises and the Teams pages send them).
    "accessType",
    "creationOptions",
    "infoCatalogs",
    "isFavorite",
    "membershipRuleProcessingStatus",
    "organizationId",
    "resourceBehaviorOptions",
    "resourceProvisioningOptions",
    "writebackConfiguration",
];

/// The relationships of `GROUP` (selectable, never `null`-filled).
const GROUP_NAV: &[&str] = &[
    "acceptedSenders",
    "appRoleAssignments",
    "calendar",
    "calendarView",
    "conversations",
    "createdOnBehalfOf",
    "drive",
    "drives",
    "events",
    "extensions",
    "groupLifecyclePolicies",
    "memberOf",
    "members",
    "membersWithLicenseErrors",
    "onenote",
    "owners",
    "permissionGrants",
    "photo",
    "photos",
    "planner",
    "rejectedSenders",
    "settings",
    "sites",
    "team",
    "threads",
    "transitiveMemberOf",
    "transitiveMembers",
];

const DEVICE: &[&str] = &[
    "accountEnabled",
    "alternativeSecurityIds",
    "approximateLastSignInDateTime",
    "complianceExpirationDateTime",
    "deletedDateTime",
    "deviceCategory",
    "deviceId",
    "deviceMetadata",
    "deviceOwnership",
    "deviceVersion",
    "displayName",
    "enrollmentProfileName",
    "enrollmentType",
    "extensionAttributes",
    "id",
    "isCompliant",
    "isManaged",
    "isManagementRestricted",
    "isRooted",
    "managementType",
    "manufacturer",
    "mdmAppId",
    "model",
    "onPremisesLastSyncDateTime",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "operatingSystem",
    "operatingSystemVersion",
    "physicalIds",
    "profileType",
    "registrationDateTime",
    "systemLabels",
    "trustType",
];

/// The relationships of `DEVICE` (selectable, never `null`-filled).
const DEVICE_NAV: &[&str] = &[
    "extensions",
    "memberOf",
    "registeredOwners",
    "registeredUsers",
    "transitiveMemberOf",
];

const ORGANIZATION: &[&str] = &[
    "assignedPlans",
    "businessPhones",
    "city",
    "country",
    "countryLetterCode",
    "createdDateTime",
    "defaultUsageLocation",
    "isMultipleDataLocationsForServicesEnabled",
    "deletedDateTime",
    "displayName",
    "id",
    "marketingNotificationEmails",
    "onPremisesLastSyncDateTime",
    "onPremisesSyncEnabled",
    "partnerTenantType",
    "postalCode",
    "preferredLanguage",
    "privacyProfile",
    "provisionedPlans",
    "securityComplianceNotificationMails",
    "securityComplianceNotificationPhones",
    "state",
    "street",
    "technicalNotificationMails",
    "tenantType",
    "verifiedDomains",
];

/// The relationships of `ORGANIZATION` (selectable, never `null`-filled).
const ORGANIZATION_NAV: &[&str] = &[
    "branding",
    "certificateBasedAuthConfiguration",
    "extensions",
];

const ADMINISTRATIVE_UNIT: &[&str] = &[
    "deletedDateTime",
    "description",
    "displayName",
    "id",
    "isMemberManagementRestricted",
    "membershipRule",
    "membershipRuleProcessingState",
    "membershipType",
    "visibility",
];

/// The relationships of `ADMINISTRATIVE_UNIT` (selectable, never `null`-filled).
const ADMINISTRATIVE_UNIT_NAV: &[&str] = &["extensions", "members", "scopedRoleMembers"];

/// The properties of an Outlook item (`outlookItem`), which messages, events, contacts and
/// posts inherit.
const OUTLOOK_ITEM: &[&str] = &[
    "categories",
    "changeKey",
    "createdDateTime",
    "id",
    "lastModifiedDateTime",
];

const MESSAGE: &[&str] = &[
    "bccRecipients",
    "body",
    "bodyPreview",
    "ccRecipients",
    "conversationId",
    "conversationIndex",
    "flag",
    "from",
    "hasAttachments",
    "importance",
    "inferenceClassification",
    "internetMessageHeaders",
    "internetMessageId",
    "isDeliveryReceiptRequested",
    "isDraft",
    "isRead",
    "isReadReceiptRequested",
    "parentFolderId",
    "receivedDateTime",
    "replyTo",
    "sender",
    "sentDateTime",
    "subject",
    "toRecipients",
    "uniqueBody",
    "webLink",
];

/// The relationships of `MESSAGE` (selectable, never `null`-filled).
const MESSAGE_NAV: &[&str] = &[
    "attachments",
    "extensions",
    "multiValueExtendedProperties",
    "singleValueExtendedProperties",
];

const EVENT: &[&str] = &[
    "allowNewTimeProposals",
    "attendees",
    "body",
    "bodyPreview",
    "cancelledOccurrences",
    "end",
    "exceptionOccurrences",
    "hasAttachments",
    "hideAttendees",
    "iCalUId",
    "importance",
    "isAllDay",
    "isCancelled",
    "isDraft",
    "isOnlineMeeting",
    "isOrganizer",
    "isReminderOn",
    "location",
    "locations",
    "onlineMeeting",
    "onlineMeetingProvider",
    "onlineMeetingUrl",
    "organizer",
    "originalEndTimeZone",
    "originalStart",
    "originalStartTimeZone",
    "recurrence",
    "reminderMinutesBeforeStart",
    "responseRequested",
    "responseStatus",
    "sensitivity",
    "seriesMasterId",
    "showAs",
    "start",
    "subject",
    "transactionId",
    "type",
    "webLink",
];

/// The relationships of `EVENT` (selectable, never `null`-filled).
const EVENT_NAV: &[&str] = &[
    "attachments",
    "calendar",
    "exceptionOccurrences",
    "extensions",
    "instances",
    "multiValueExtendedProperties",
    "singleValueExtendedProperties",
];

const CONTACT: &[&str] = &[
    "assistantName",
    "birthday",
    "businessAddress",
    "businessHomePage",
    "businessPhones",
    "children",
    "companyName",
    "department",
    "displayName",
    "emailAddresses",
    "fileAs",
    "generation",
    "givenName",
    "homeAddress",
    "homePhones",
    "imAddresses",
    "initials",
    "jobTitle",
    "manager",
    "middleName",
    "mobilePhone",
    "nickName",
    "officeLocation",
    "otherAddress",
    "parentFolderId",
    "personalNotes",
    "profession",
    "spouseName",
    "surname",
    "title",
    "yomiCompanyName",
    "yomiGivenName",
    "yomiSurname",
];

/// The relationships of `CONTACT` (selectable, never `null`-filled).
const CONTACT_NAV: &[&str] = &[
    "extensions",
    "multiValueExtendedProperties",
    "photo",
    "singleValueExtendedProperties",
];

const POST: &[&str] = &[
    "body",
    "conversationId",
    "conversationThreadId",
    "from",
    "hasAttachments",
    "newParticipants",
    "receivedDateTime",
    "sender",
];

/// The relationships of `POST` (selectable, never `null`-filled).
const POST_NAV: &[&str] = &[
    "attachments",
    "extensions",
    "inReplyTo",
    "multiValueExtendedProperties",
    "singleValueExtendedProperties",
];

const TODO_TASK_LIST: &[&str] = &[
    "displayName",
    "id",
    "isOwner",
    "isShared",
    "wellknownListName",
];

/// The relationships of `TODO_TASK_LIST` (selectable, never `null`-filled).
const TODO_TASK_LIST_NAV: &[&str] = &["extensions", "tasks"];

const TODO_TASK: &[&str] = &[
    "body",
    "bodyLastModifiedDateTime",
    "categories",
    "completedDateTime",
    "createdDateTime",
    "dueDateTime",
    "hasAttachments",
    "id",
    "importance",
    "isReminderOn",
    "lastModifiedDateTime",
    "recurrence",
    "reminderDateTime",
    "startDateTime",
    "status",
    "title",
];

/// The relationships of `TODO_TASK` (selectable, never `null`-filled).
const TODO_TASK_NAV: &[&str] = &[
    "attachments",
    "attachmentSessions",
    "checklistItems",
    "extensions",
    "linkedResources",
];

/// The Graph type name of a kind, as errors name it (`microsoft.graph.user`).
pub(crate) fn type_name(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::User => "microsoft.graph.user",
        ResourceKind::Group => "microsoft.graph.group",
        ResourceKind::Device => "microsoft.graph.device",
        ResourceKind::Organization => "microsoft.graph.organization",
        ResourceKind::AdministrativeUnit => "microsoft.graph.administrativeUnit",
        ResourceKind::Event | ResourceKind::GroupEvent => "microsoft.graph.event",
        ResourceKind::GroupPost => "microsoft.graph.post",
        ResourceKind::Message => "microsoft.graph.message",
        ResourceKind::Contact => "microsoft.graph.contact",
        ResourceKind::TodoTaskList => "microsoft.graph.todoTaskList",
        ResourceKind::TodoTask => "microsoft.graph.todoTask",
    }
}

/// The properties of `kind` (its own and those it inherits), and its relationships.
fn lists(kind: ResourceKind) -> ([&'static [&'static str]; 2], &'static [&'static str]) {
    match kind {
        ResourceKind::User => ([USER, &[]], USER_NAV),
        ResourceKind::Group => ([GROUP, &[]], GROUP_NAV),
        ResourceKind::Device => ([DEVICE, &[]], DEVICE_NAV),
        ResourceKind::Organization => ([ORGANIZATION, &[]], ORGANIZATION_NAV),
        ResourceKind::AdministrativeUnit => ([ADMINISTRATIVE_UNIT, &[]], ADMINISTRATIVE_UNIT_NAV),
        ResourceKind::Event | ResourceKind::GroupEvent => ([EVENT, OUTLOOK_ITEM], EVENT_NAV),
        ResourceKind::GroupPost => ([POST, OUTLOOK_ITEM], POST_NAV),
        ResourceKind::Message => ([MESSAGE, OUTLOOK_ITEM], MESSAGE_NAV),
        ResourceKind::Contact => ([CONTACT, OUTLOOK_ITEM], CONTACT_NAV),
        ResourceKind::TodoTaskList => ([TODO_TASK_LIST, &[]], TODO_TASK_LIST_NAV),
        ResourceKind::TodoTask => ([TODO_TASK, &[]], TODO_TASK_NAV),
    }
}

/// The property of `kind` called `name` (ignoring ASCII case), as Graph spells it: what a
/// `$select` of it shows as `null` when the resource has no value.
pub(crate) fn property(kind: ResourceKind, name: &str) -> Option<&'static str> {
    let (props, _) = lists(kind);
    props
        .iter()
        .flat_map(|l| l.iter())
        .find(|p| p.eq_ignore_ascii_case(name))
        .copied()
}

/// The directory's name of a directory object's type, as its errors give it
/// (`Microsoft.DirectoryServices.User`).
pub(crate) fn directory_type_name(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::User => "Microsoft.DirectoryServices.User",
        ResourceKind::Group => "Microsoft.DirectoryServices.Group",
        ResourceKind::Device => "Microsoft.DirectoryServices.Device",
        ResourceKind::Organization => "Microsoft.DirectoryServices.TenantDetail",
        ResourceKind::AdministrativeUnit => "Microsoft.DirectoryServices.AdministrativeUnit",
        _ => type_name(kind),
    }
}

/// Whether `name` is a property or a relationship of resources of `kind`.
pub(crate) fn declares(kind: ResourceKind, name: &str) -> bool {
    property(kind, name).is_some() || lists(kind).1.iter().any(|p| p.eq_ignore_ascii_case(name))
}

/// Whether a body key is an annotation rather than a property: `@odata.type`,
/// `manager@odata.bind`, `members@odata.bind`.
pub(crate) fn is_annotation(key: &str) -> bool {
    key.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_properties() {
        assert!(declares(ResourceKind::Group, "description"));
        assert!(declares(ResourceKind::Group, "DisplayName"));
        assert!(declares(ResourceKind::Message, "categories"));
        assert!(!declares(ResourceKind::Group, "whatever"));
        assert!(!declares(ResourceKind::User, "training"));
        assert!(is_annotation("@odata.type"));
        assert!(is_annotation("members@odata.bind"));
    }
}
