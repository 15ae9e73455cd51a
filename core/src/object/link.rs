//! Links: an entry of a store that stands for an object (of this store or
//! another) or for a whole store, as the official clients write them (the
//! info's `options.link`). Reading a link to an object reads that object; a
//! link to a store has no content of its own.

use crate::error::{Error, ErrorKind, Result};

use super::{ObjectInfo, ObjectLink, ObjectStore, info};

impl ObjectStore {
    /// Makes `name` a link to the object `target` describes (an info read
    /// from this store or another). `INVALID_ARGUMENT` for a deleted target
    /// or a link; `ALREADY_EXISTS` when `name` is an object (a link of that
    /// name is replaced).
    pub async fn add_link(&self, name: &str, target: &ObjectInfo) -> Result<ObjectInfo> {
        info::validate_name(&target.name)?;
        if target.deleted {
            return Err(Error::invalid(
                "link target",
                format!("object {:?} is deleted", target.name),
            ));
        }
        if target.link.is_some() {
            return Err(Error::invalid(
                "link target",
                format!("{:?} is itself a link", target.name),
            ));
        }
        let link = ObjectLink {
            bucket: target.bucket.clone(),
            name: Some(target.name.clone()),
        };
        self.write_link(name, link).await
    }

    /// Makes `name` a link to the whole store `bucket`.
    pub async fn add_bucket_link(&self, name: &str, bucket: &str) -> Result<ObjectInfo> {
        crate::kv::validate_bucket(bucket)?;
        let link = ObjectLink {
            bucket: bucket.to_string(),
            name: None,
        };
        self.write_link(name, link).await
    }

    async fn write_link(&self, name: &str, link: ObjectLink) -> Result<ObjectInfo> {
        info::validate_name(name)?;
        if let Ok(existing) = self.info(name).await
            && existing.link.is_none()
        {
            return Err(already_exists(name));
        }
        let info = ObjectInfo {
            name: name.to_string(),
            bucket: self.bucket.clone(),
            nuid: nuid::next().to_string(),
            mtime: info::now(),
            link: Some(link),
            ..ObjectInfo::default()
        };
        self.write_info(&info).await?;
        Ok(info)
    }

    /// The store and info whose content `info` stands for: itself, or the
    /// object its link points to.
    pub(crate) async fn follow(&self, info: ObjectInfo) -> Result<(ObjectStore, ObjectInfo)> {
        let Some(link) = &info.link else {
            return Ok((self.clone(), info));
        };
        let Some(target) = &link.name else {
            return Err(Error::invalid(
                "object",
                format!(
                    "{:?} is a link to the store {:?}, which has no content of its own",
                    info.name, link.bucket
                ),
            ));
        };
        let store = if link.bucket == self.bucket {
            self.clone()
        } else {
            self.client.object_store(&link.bucket).await?
        };
        let resolved = store.info(target).await?;
        if resolved.link.is_some() {
            return Err(Error::invalid(
                "object",
                format!("{:?} links to a link", info.name),
            ));
        }
        Ok((store, resolved))
    }
}

pub(crate) fn already_exists(name: &str) -> Error {
    Error::new(
        ErrorKind::AlreadyExists,
        format!("object {name:?} already exists"),
    )
}
