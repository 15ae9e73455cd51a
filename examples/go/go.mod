module example.invalid/jetbridge/examples/go

go 1.26.0

require github.com/jetbridge/jetbridge-go v0.0.0

replace github.com/jetbridge/jetbridge-go => ../../bindings-c/go
