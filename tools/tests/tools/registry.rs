use code_mesh_tools::builtin_tools;

#[test]
fn builtin_tools_registers_the_opencode_tools_by_name() {
    let tools = builtin_tools();
    let names: Vec<&str> = tools.names().collect();
    let mut expected = vec!["read", "write", "edit", "multiedit", "apply_patch"];
    if cfg!(unix) {
        expected.push("bash");
    }
    expected.extend(["grep", "glob", "list", "todowrite", "webfetch", "remember"]);
    assert_eq!(names, expected);
}

#[test]
fn every_spec_is_an_object_schema_with_a_description() {
    for spec in builtin_tools().specs() {
        assert!(
            spec.description.len() > 100,
            "{} needs a description",
            spec.name
        );
        assert_eq!(spec.parameters["type"], "object", "{}", spec.name);
        let required = spec.parameters["required"].as_array().expect("required");
        for name in required {
            let name = name.as_str().expect("a name");
            assert!(
                spec.parameters["properties"][name].is_object(),
                "{}: {name} is required but not described",
                spec.name
            );
        }
    }
}

#[test]
fn only_the_tools_that_change_nothing_are_read_only() {
    let read_only = ["read", "grep", "glob", "list", "webfetch"];
    let tools = builtin_tools();
    for name in tools.names() {
        let tool = tools.get(name).expect("registered");
        assert_eq!(tool.is_read_only(), read_only.contains(&name), "{name}");
    }
}
