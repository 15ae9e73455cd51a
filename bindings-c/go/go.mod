module example.invalid/jetbridge/bindings-c/go

go 1.26.0
