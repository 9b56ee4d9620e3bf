//! Turning the model's JSON arguments into a tool's typed arguments.

use code_mesh_runtime::tool::ToolError;
use serde::de::DeserializeOwned;

/// Deserializes `arguments` into `T`; a bad shape becomes
/// [`ToolError::InvalidArguments`] carrying serde's message (`missing field
/// `filePath``, …), which tells the model what to fix.
pub(crate) fn parse_args<T: DeserializeOwned>(
    tool: &str,
    arguments: serde_json::Value,
) -> Result<T, ToolError> {
    serde_json::from_value(arguments).map_err(|error| ToolError::InvalidArguments {
        tool: tool.to_string(),
        message: error.to_string(),
    })
}
