# The real joet-node binary: testnet into a temp dir, then genesis validate / show and keys show on the
# result, and the exit codes: 0 ok, 2 usage or bad input (message naming the file and JSON path).
# cmake -DJOET_NODE=<joet-node> -DOUT=<dir> -P cli_test.cmake
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})

function(expect_exit code)
  execute_process(COMMAND ${JOET_NODE} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "joet-node ${ARGN}: exit ${rc}, expected ${code}; stdout: ${out} stderr: ${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
  set(last_err "${err}" PARENT_SCOPE)
endfunction()

function(expect_match text regex)
  if(NOT "${text}" MATCHES "${regex}")
    message(FATAL_ERROR "expected /${regex}/ in: ${text}")
  endif()
endfunction()

# Help and usage.
expect_exit(0 --help)
expect_match("${last_out}" "testnet")
expect_match("${last_out}" "start")
foreach(command start init keys testnet genesis)
  expect_exit(0 ${command} --help)
  expect_match("${last_out}" "usage: joet-node ${command}")
endforeach()
expect_exit(2)
expect_exit(2 start)
expect_exit(2 start --home ${OUT}/no-such-home)
expect_exit(2 testnet --validators 4)
expect_exit(2 testnet --validators four --output ${OUT}/x)
expect_exit(2 testnet --validators 0 --output ${OUT}/x)
expect_match("${last_err}" "--validators: BAD_VALUE")
expect_exit(2 testnet --validators 4 --output ${OUT}/x --bogus 1)
expect_exit(2 genesis check ${OUT}/x.json)

# A four-node testnet: every home's genesis validates to the hash testnet printed.
expect_exit(0 testnet --validators 4 --output ${OUT}/net --chain-id joet-cli --base-port 31000)
string(REGEX MATCH "genesis_hash ([0-9a-f]+)" _ "${last_out}")
set(hash "${CMAKE_MATCH_1}")
string(LENGTH "${hash}" hash_len)
if(NOT hash_len EQUAL 64)
  message(FATAL_ERROR "no genesis hash in: ${last_out}")
endif()
expect_match("${last_out}" "node3 home [^\n]*institution gi-jbra p2p 127.0.0.1:31006 rpc 127.0.0.1:31007")
foreach(i 0 1 2 3)
  expect_exit(0 genesis validate ${OUT}/net/node${i}/genesis.json)
  expect_match("${last_out}" "^ok ${OUT}/net/node${i}/genesis.json\nchain_id joet-cli\ngenesis_hash ${hash}\n")
  expect_exit(0 keys show --home ${OUT}/net/node${i})
  expect_match("${last_out}" "^validator_key [0-9a-f]+\nmember_key [0-9a-f]+\n$")
endforeach()
expect_exit(0 genesis show ${OUT}/net/node0/genesis.json)
foreach(line "genesis_hash ${hash}" "institutions 4" "rb-amsterdam COURT" "rvdk RVDK" "gem-amsterdam MUNICIPALITY"
             "gi-jbra GI" "validators 4 total_power 4 quorum_power 3" "policy plan_days=42|policy [a-z_]+=")
  expect_match("${last_out}" "${line}")
endforeach()

# Never over an existing network.
expect_exit(2 testnet --validators 4 --output ${OUT}/net)
expect_match("${last_err}" "node0: ALREADY_EXISTS")

# A bad genesis: exit 2, naming the file and the JSON path.
file(READ ${OUT}/net/node0/genesis.json genesis)
string(REGEX REPLACE "\"power\": 1" "\"power\": 0" bad "${genesis}")
file(WRITE ${OUT}/bad-power.json "${bad}")
expect_exit(2 genesis validate ${OUT}/bad-power.json)
expect_match("${last_err}" "bad-power.json: validators\\[0\\]\\.power: BAD_VALUE")
file(WRITE ${OUT}/bad-syntax.json "{")
expect_exit(2 genesis show ${OUT}/bad-syntax.json)
expect_match("${last_err}" "bad-syntax.json: SYNTAX")
expect_exit(2 genesis validate ${OUT}/does-not-exist.json)
expect_match("${last_err}" "does-not-exist.json: NOT_FOUND")

# A key file others may read is refused, with the fix.
file(CHMOD ${OUT}/net/node1/keys/validator.key PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
expect_exit(2 keys show --home ${OUT}/net/node1)
expect_match("${last_err}" "INSECURE_PERMISSIONS: .*chmod 600 ${OUT}/net/node1/keys/validator.key")

# init: a one-node home, never twice.
expect_exit(0 init --home ${OUT}/solo --moniker solo --chain-id joet-dev)
expect_match("${last_out}" "^home ${OUT}/solo\nvalidator_key [0-9a-f]+\ngenesis_hash [0-9a-f]+\n$")
expect_exit(0 genesis validate ${OUT}/solo/genesis.json)
expect_exit(2 init --home ${OUT}/solo --moniker solo)
expect_match("${last_err}" "ALREADY_EXISTS")
expect_exit(2 init --home ${OUT}/other)
expect_exit(2 init --home ${OUT}/other --moniker "two words")
