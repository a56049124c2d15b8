module example.com/junitsample

go 1.22
