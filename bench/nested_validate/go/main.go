// SPDX-License-Identifier: MIT
// The Go peer of the nested benchmark: encoding/json with
// DisallowUnknownFields and a trailing-data check, then validator.Struct with
// the same rules as ../events.schema.json, `dive` into items, tags and attrs.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/go-playground/validator/v10"
)

type Item struct {
	Sku   string   `json:"sku" validate:"required,alphanum,max=16"`
	Name  string   `json:"name" validate:"required,max=64"`
	Qty   int32    `json:"qty" validate:"gte=1,lte=1000"`
	Price string   `json:"price" validate:"required,numeric"`
	Tags  []string `json:"tags" validate:"max=5,dive,required,max=16"`
	Note  string   `json:"note" validate:"max=200"`
}

type Address struct {
	City string `json:"city" validate:"required"`
	Zip  *int32 `json:"zip" validate:"omitempty,gte=1000,lte=99999"`
}

type Event struct {
	EventID  string            `json:"event_id" validate:"required,uuid"`
	Kind     string            `json:"type" validate:"required,oneof=order.created order.updated order.cancelled"`
	At       time.Time         `json:"at"`
	Customer string            `json:"customer" validate:"required,email"`
	SourceIP string            `json:"source_ip" validate:"required,ipv4"`
	Items    []Item            `json:"items" validate:"max=10,dive"`
	Shipping *Address          `json:"shipping"`
	Attrs    map[string]string `json:"attrs" validate:"max=20,dive,keys,alphanum,max=32,endkeys,required,max=64"`
}

func decode(v *validator.Validate, line []byte) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var e Event
	if err := dec.Decode(&e); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data")
	}
	return v.Struct(&e)
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var lines [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	v := validator.New()
	best, rejected := 0.0, 0
	for pass := 0; pass < 3; pass++ {
		rejected = 0
		start := time.Now()
		for _, l := range lines {
			if decode(v, l) != nil {
				rejected++
			}
		}
		s := time.Since(start).Seconds()
		if best == 0 || s < best {
			best = s
		}
	}
	fmt.Printf("RESULT name=go-encoding-json+validator records=%d seconds=%.6f bytes=%d rejected=%d\n",
		len(lines), best, len(data), rejected)
}
