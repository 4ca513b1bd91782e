# Warnings that apply to lakeorm's own code (never to dependencies).
function(lake_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow
    -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2)
endfunction()
