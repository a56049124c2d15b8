module example.com/rerunsample

go 1.26
