"""``.zig.json`` schema modules (issue 9): a JSON Schema compiled into a native, validating module.

The Python half; the engine is ``zig_core.schema`` (zig_core/src/schema/).  Imported when the finder
finds a ``name.zig.json`` or ``zigimport.schema_module``/``schema_class`` is first used.  Modules:

    source.py     read a schema file (and the local files it $refs): JSON errors with line and column
    keywords.py   THE keyword table: supported / ignored / rejected (docs/schema.md renders it)
    names.py      class, attribute and module names from schema names (SCHEMA_SPEC.md section 4)
    spec.py       Python mirrors of zig_core's schema.Spec types
    resolve.py    schema dict -> spec: every keyword checked, $refs resolved to node indices, allOf merged
    pytypes.py    a node's Python type as text (the fields' type_name, the stub's annotations)
    codegen.py    spec -> the Zig text zig_core.schema.module compiles
    record.py     the hit path's shortcut: which generated text a schema file last rendered to
    loader.py     SchemaLoader (the import hook's) and load_spec: build through specialize/generated.py
    stubs.py      the module's .pyi: typed attributes, keyword-only __init__, Self-typed classmethods
    compile.py    schema_module, schema_class (public), module_from_roots (for the test suite)
"""
