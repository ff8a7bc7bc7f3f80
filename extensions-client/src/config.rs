//! Where requests go: the cloud and the API version.

/// Microsoft Graph's clouds (national clouds included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    /// `https://graph.microsoft.com`.
    Global,
    /// US Government L4: `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DoD): `https://dod-graph.microsoft.us`.
    UsGovL5,
    /// China (operated by 21Vianet): `https://microsoftgraph.chinacloudapi.cn`. Open extensions
    /// are not offered in this cloud (the national-cloud table of the
    /// [open extension API pages](https://learn.microsoft.com/en-us/graph/api/opentypeextension-post-opentypeextension)):
    /// expect Graph to refuse these calls there.
    China,
}

impl Cloud {
    /// The host root, without a version.
    pub const fn root(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5 => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }
}

/// The API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    /// `v1.0`.
    V1,
    /// `beta` (administrative units' extensions are beta in the documentation).
    Beta,
}

impl ApiVersion {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}
