//! A directory extension's definition: one to create ([`NewExtensionProperty`]) and one as Graph
//! stores it ([`ExtensionProperty`]).

use serde::{Deserialize, Deserializer};

use super::{DataType, PropertyName, TargetObject};
use crate::error::Error;

/// A definition to create: `POST /applications/{id}/extensionProperties`
/// `{"name", "dataType", "isMultiValued", "targetObjects"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NewExtensionProperty {
    /// The name, without the `extension_{appId}_` prefix Graph adds.
    pub name: String,
    /// The data type.
    pub data_type: DataType,
    /// Whether it holds several values (a JSON array).
    pub multi_valued: bool,
    /// The directory objects it can be written on.
    pub targets: Vec<TargetObject>,
}

impl NewExtensionProperty {
    /// The request body, checked: the name by [`check_directory_name`](super::check_directory_name), at
    /// least one target, none twice.
    pub fn body(&self) -> Result<serde_json::Value, Error> {
        super::check_directory_name(&self.name).map_err(|reason| Error::DirectoryNameInvalid {
            name: self.name.clone(),
            reason,
        })?;
        let mut targets = self.targets.clone();
        targets.sort();
        targets.dedup();
        if targets.is_empty() || targets.len() != self.targets.len() {
            return Err(Error::DirectoryNameInvalid {
                name: self.name.clone(),
                reason: "a directory extension lists each of its target objects once, and at least one",
            });
        }
        Ok(serde_json::json!({
            "name": self.name,
            "dataType": self.data_type.as_str(),
            "isMultiValued": self.multi_valued,
            "targetObjects": self.targets.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        }))
    }

    /// What differs between this declaration and `stored`, the definition of the same name:
    /// `None` when they agree (the data type, multi-valuedness and target objects, the targets
    /// in any order). Graph has no update of a definition, so a difference cannot be mended
    /// in place.
    pub fn differs_from(&self, stored: &ExtensionProperty) -> Option<String> {
        let mut why = Vec::new();
        if self.data_type != stored.data_type {
            why.push(format!(
                "its data type is {} on Graph and {} here",
                stored.data_type.as_str(),
                self.data_type.as_str()
            ));
        }
        if self.multi_valued != stored.is_multi_valued {
            let m = |b| if b { "multi-valued" } else { "single-valued" };
            why.push(format!(
                "it is {} on Graph and {} here",
                m(stored.is_multi_valued),
                m(self.multi_valued)
            ));
        }
        let mut a = self.targets.clone();
        let mut b = stored.targets.clone();
        a.sort();
        b.sort();
        if a != b {
            let list =
                |v: &[TargetObject]| v.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ");
            why.push(format!(
                "its target objects are [{}] on Graph and [{}] here",
                list(&b),
                list(&a)
            ));
        }
        (!why.is_empty()).then(|| why.join("; "))
    }
}

/// A definition as Graph stores it (an `extensionProperty`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExtensionProperty {
    /// Its object id (a GUID), which its get and delete address.
    pub id: String,
    /// The full name, `extension_{appId without hyphens}_{name}`, as Graph answers it (see
    /// [`property_name`](Self::property_name)).
    pub name: String,
    /// The owner app's display name.
    #[serde(default)]
    pub app_display_name: Option<String>,
    /// The data type.
    #[serde(deserialize_with = "data_type")]
    pub data_type: DataType,
    /// Whether it is multi-valued.
    #[serde(default)]
    pub is_multi_valued: bool,
    /// Whether it was synced from on-premises Active Directory (such a definition cannot be
    /// deleted).
    #[serde(default)]
    pub is_synced_from_on_premises: bool,
    /// The directory objects it can be written on.
    #[serde(rename = "targetObjects", deserialize_with = "targets")]
    pub targets: Vec<TargetObject>,
    /// When it was deleted (`null` unless deleted).
    #[serde(default)]
    pub deleted_date_time: Option<String>,
}

impl ExtensionProperty {
    /// The checked full name, or why Graph's name is not one this library can address.
    pub fn property_name(&self) -> Result<PropertyName, Error> {
        PropertyName::parse(&self.name)
    }
}

fn data_type<'de, D: Deserializer<'de>>(d: D) -> Result<DataType, D::Error> {
    let s = String::deserialize(d)?;
    DataType::from_name(&s)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown dataType {s:?}")))
}

fn targets<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<TargetObject>, D::Error> {
    let v = Vec::<String>::deserialize(d)?;
    v.iter()
        .map(|s| {
            TargetObject::from_name(s)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown target object {s:?}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> ExtensionProperty {
        serde_json::from_str(
            r#"{"id":"d3a1","deletedDateTime":null,"appDisplayName":"Team bonding","dataType":"String","isMultiValued":false,"isSyncedFromOnPremises":false,"name":"extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroupTracker","targetObjects":["User"]}"#,
        )
        .unwrap()
    }

    #[test]
    fn body_and_comparison() {
        let mut new = NewExtensionProperty {
            name: "jobGroupTracker".into(),
            data_type: DataType::String,
            multi_valued: false,
            targets: vec![TargetObject::User],
        };
        assert_eq!(
            new.body().unwrap().to_string(),
            r#"{"name":"jobGroupTracker","dataType":"String","isMultiValued":false,"targetObjects":["User"]}"#
        );
        assert_eq!(new.differs_from(&stored()), None);
        new.multi_valued = true;
        new.targets.push(TargetObject::Group);
        let why = new.differs_from(&stored()).unwrap();
        assert!(
            why.contains("single-valued on Graph and multi-valued here"),
            "{why}"
        );
        assert!(
            why.contains("[User] on Graph and [User, Group] here"),
            "{why}"
        );
        new.targets = vec![TargetObject::User, TargetObject::User];
        assert!(new.body().is_err());
        new.targets.clear();
        assert!(new.body().is_err());
        assert_eq!(stored().property_name().unwrap().name(), "jobGroupTracker");
    }
}
