//! Changing an object's name, description and metadata without touching
//! its content.

use crate::error::Result;
use crate::stream::PurgeOptions;

use super::link::already_exists;
use super::{ObjectInfo, ObjectMeta, ObjectStore, info};

impl ObjectStore {
    /// Sets `name`'s name, description and metadata to `meta`'s; the content
    /// stays. `NOT_FOUND` for a missing or deleted object; `ALREADY_EXISTS`
    /// when renaming onto another object. Returns the new info.
    pub async fn update_meta(&self, name: &str, meta: ObjectMeta) -> Result<ObjectInfo> {
        let mut info = self.info(name).await?;
        info::validate_name(&meta.name)?;
        let renamed = meta.name != name;
        if renamed && self.info(&meta.name).await.is_ok() {
            return Err(already_exists(&meta.name));
        }
        info.name = meta.name;
        info.description = meta.description;
        info.metadata = meta.metadata;
        info.mtime = info::now();
        self.write_info(&info).await?;
        if renamed {
            let old = PurgeOptions {
                subject: Some(self.meta_subject(name)),
                ..PurgeOptions::default()
            };
            self.client.purge_stream(&self.stream(), old).await?;
        }
        Ok(info)
    }
}
