module example.com/gosecsample

go 1.22
