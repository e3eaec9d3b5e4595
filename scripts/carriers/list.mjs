#!/usr/bin/env node
// Prints the carriers as a JSON array of names: the CI matrix reads it (`fromJSON`).
import { discoverCarriers, rootFromArgs } from './discover.mjs'

console.log(JSON.stringify((await discoverCarriers(rootFromArgs())).map((c) => c.name)))
