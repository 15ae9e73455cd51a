module example.invalid/jetbridge/tests/conformance/runners/go

go 1.26.0

require example.invalid/jetbridge/bindings-c/go v0.0.0

replace example.invalid/jetbridge/bindings-c/go => ../../../../bindings-c/go
