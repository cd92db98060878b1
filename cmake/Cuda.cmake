# The CUDA part of `llmcost calibrate` (src/gpu/): a plugin, libllmcost_gpu.so, built when the
# CUDA toolkit is found and loaded by `calibrate` only. Include after llmcost_core is defined.
# LLMCOST_CUDA: AUTO (default) builds it when nvcc and cuBLASLt are found, ON fails the configure
# without them, OFF never builds it. Without it, `llmcost calibrate` says so; `--cpu` still works.

set(LLMCOST_CUDA AUTO CACHE STRING "Build the CUDA calibration kernels: AUTO, ON or OFF")
set_property(CACHE LLMCOST_CUDA PROPERTY STRINGS AUTO ON OFF)

set(LLMCOST_HAVE_CUDA OFF)
if(NOT LLMCOST_CUDA STREQUAL "OFF")
  # nvcc is often not on PATH (NVIDIA's packages install it in /usr/local/cuda/bin). CUDACXX is
  # what check_language's trial project (a child cmake, same environment) looks at.
  find_program(LLMCOST_NVCC_ON_PATH nvcc)
  mark_as_advanced(LLMCOST_NVCC_ON_PATH)
  if(NOT DEFINED CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND NOT LLMCOST_NVCC_ON_PATH
     AND EXISTS /usr/local/cuda/bin/nvcc)
    set(ENV{CUDACXX} /usr/local/cuda/bin/nvcc)
  endif()
  # Ampere and Hopper binaries plus their PTX (JIT-compiled on newer GPUs).
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES "80;90")
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    enable_language(CUDA)
    find_package(CUDAToolkit)
  endif()
  if(CMAKE_CUDA_COMPILER AND TARGET CUDA::cublasLt AND TARGET CUDA::cudart)
    set(LLMCOST_HAVE_CUDA ON)
  elseif(LLMCOST_CUDA STREQUAL "ON")
    message(FATAL_ERROR "LLMCOST_CUDA=ON but no CUDA compiler with cuBLASLt was found")
  endif()
endif()

if(LLMCOST_HAVE_CUDA)
  message(STATUS "llmcost: CUDA calibration enabled (nvcc ${CMAKE_CUDA_COMPILER_VERSION}, architectures ${CMAKE_CUDA_ARCHITECTURES})")
  # An installed plugin finds libcudart/libcublasLt in a toolkit outside nvcc's own directories
  # (CUDAToolkit_ROOT=/opt/...) where it was linked against them. Set before the target exists.
  set(CMAKE_INSTALL_RPATH_USE_LINK_PATH ON)
  # A plugin that `calibrate` loads with dlopen (src/calibrate/plugin_abi.hpp): linked into the program,
  # cuBLASLt would cost every command ~150 ms and ~200 MB at start-up.
  add_library(llmcost_gpu MODULE src/gpu/calibrate_cuda.cu)
  # The directory's compile and link options are GCC flags (sanitizers) that nvcc rejects, and the
  # plugin is not instrumented anyway: start clean and give the host side of the .cu the project's
  # warnings through -Xcompiler. Clean with CUDA 13.0 and GCC 12; a toolkit whose headers warn
  # can be built with LLMCOST_WERROR=OFF.
  set_property(TARGET llmcost_gpu PROPERTY COMPILE_OPTIONS "")
  set_property(TARGET llmcost_gpu PROPERTY LINK_OPTIONS "")
  target_compile_options(llmcost_gpu PRIVATE
    $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra,-Wshadow,-Wconversion,-Wno-sign-conversion>)
  if(LLMCOST_WERROR)
    target_compile_options(llmcost_gpu PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:--Werror=all-warnings -Xcompiler=-Werror>)
  endif()
  set_target_properties(llmcost_gpu PROPERTIES
    CUDA_STANDARD 17 CUDA_STANDARD_REQUIRED ON
    CUDA_RUNTIME_LIBRARY Shared            # CUDA::cudart below, not a second static copy
    CUDA_VISIBILITY_PRESET hidden          # exports only the entry points of plugin_abi.hpp
    CXX_VISIBILITY_PRESET hidden)
  target_include_directories(llmcost_gpu PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/include ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(llmcost_gpu PRIVATE CUDA::cublasLt CUDA::cudart)
  install(TARGETS llmcost_gpu LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/llmcost)

  add_dependencies(llmcost_core llmcost_gpu)
  target_link_libraries(llmcost_core PRIVATE ${CMAKE_DL_LIBS})
  target_compile_definitions(llmcost_core
    PUBLIC LLMCOST_HAVE_CUDA=1
    PRIVATE LLMCOST_GPU_PLUGIN_BUILD="$<TARGET_FILE:llmcost_gpu>"
            LLMCOST_GPU_PLUGIN_INSTALL_REL="../${CMAKE_INSTALL_LIBDIR}/llmcost/$<TARGET_FILE_NAME:llmcost_gpu>")
else()
  message(STATUS "llmcost: CUDA calibration disabled (no CUDA toolkit found, or LLMCOST_CUDA=OFF); 'calibrate --cpu' only")
endif()
