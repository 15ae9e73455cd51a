module github.com/jetbridge/jetbridge-go

go 1.26.0
