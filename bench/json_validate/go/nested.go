// SPDX-License-Identifier: MIT
// The order events of bench/nested_validate, with the rules of its
// events.schema.json: `dive` into items, their tags and the attrs map.
// Prices travel as decimal strings, checked as numeric (lakeorm: decimal(10,2), gte=0).
package main

import "time"

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
