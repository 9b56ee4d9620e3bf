//! Code Mesh's built-in agent roles and the model-tool loop they share.
