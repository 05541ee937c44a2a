use async_ext::async_closure;

struct Point {
    x: i32,
}

fn main() {
    let _c = async_closure!({ let point = Point { x: 0 }; } async |dx: i32| -> i32 {
        point.x += dx;
        point.x
    });
}
