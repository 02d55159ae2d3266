//! Ranking one image's probabilities: most probable first, k bounded by the classes, and no panic
//! when there is nothing to rank (the network's scores could not be read).

use infer::classify::top_predictions;

#[test]
fn ranks_and_bounds_k() {
    let classes = vec!["cat".to_string(), "dog".to_string()];
    let top = top_predictions(&[0.3, 0.7], &classes, 5);
    assert_eq!(top.len(), 2, "k is at most the number of classes");
    assert_eq!(top[0].class, "dog");
    assert_eq!(top[1].index, 0);
    assert!(top_predictions(&[], &classes, 5).is_empty());
}
