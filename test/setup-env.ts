// Tests run the SDK on the host's Node.js 20; its warning about the host version is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
