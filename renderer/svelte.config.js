// Read by vite-plugin-svelte and svelte-check alike.
export default {
  compilerOptions: {
    runes: true,
  },
};
